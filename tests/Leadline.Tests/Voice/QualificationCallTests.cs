using System.Net;
using System.Text;
using System.Text.Json;
using System.Xml.Linq;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Voice;

/// <summary>
/// The outbound qualification call over HTTP on both databases: started through the API (or by auto_call), dialed
/// through Twilio's Calls API (a loopback fake), held by driving the TwiML webhooks as Twilio would, then finished
/// by the status callback: the lead is qualified from the answers and texted the booking link.
/// </summary>
public abstract class QualificationCallTests<TApp>(QualificationCallFixture<TApp> fixture) where TApp : LeadlineApp, new()
{
    private const string Booking = "https://cal.com/harbor-plumbing/visit";

    private readonly FakeTwilio _twilio = fixture.Twilio;
    private readonly QualificationCallDriver _driver = new(fixture.App, QualificationCallFixture<TApp>.PublicBaseUrl);

    public static readonly string[] Answers =
        ["I need a new water heater", "this week", "about 2000 dollars", "in Springfield", "yes I'm the owner"];

    [Fact]
    public async Task AnAnsweredCallQualifiesTheLeadAndTextsTheBookingLink()
    {
        TestTenant tenant = await QualificationCallSupport.TenantAsync(fixture.App, Booking);
        string phone = TextLeads.NewNumber();
        Guid leadId = await QualificationCallSupport.FormLeadAsync(tenant, phone);

        JsonElement started = await (await tenant.Client.PostAsync($"/v1/leads/{leadId}/call", null)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("queued", started.GetProperty("status").GetString());
        Assert.Equal("api", started.GetProperty("started_by").GetString());
        Assert.Equal(5, started.GetProperty("questions").GetArrayLength());
        Guid callId = started.GetProperty("id").GetGuid();

        TwilioCall call = await QualificationCallSupport.DialedAsync(_twilio, phone);
        TwilioRequest request = Assert.Single(_twilio.CallRequestsTo(phone));
        Assert.Equal(201, request.Status);
        Assert.Equal($"/2010-04-01/Accounts/{FakeTwilio.AccountSid}/Calls.json", request.Path);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{FakeTwilio.AccountSid}:{FakeTwilio.AuthToken}")), request.Authorization);
        Assert.Equal(QualificationCallFixture<TApp>.SmsFrom, request.Field("From"));
        string site = QualificationCallFixture<TApp>.PublicBaseUrl;
        Assert.Equal($"{site}/webhooks/voice/qualify/start?tenant={tenant.Slug}&call={callId}", request.Field("Url"));
        Assert.Equal("POST", request.Field("Method"));
        Assert.Equal($"{site}/webhooks/voice/qualify/status?tenant={tenant.Slug}&call={callId}", request.Field("StatusCallback"));
        Assert.Equal("POST", request.Field("StatusCallbackMethod"));
        // No events named: Twilio then reports the end of the call, which is all the call needs.
        Assert.Empty(call.StatusCallbackEvents);
        JsonElement dialing = await QualificationCallSupport.WaitForCallAsync(tenant, leadId, c => c.GetProperty("status").GetString() == "dialing");
        Assert.Equal(call.Sid, dialing.GetProperty("provider_call_sid").GetString());

        // The lead picks up: a greeting with the business name, then the first question, gathered as speech.
        XElement twiml = await _driver.PickUpAsync(call);
        Assert.Contains("Harbor Plumbing", QualificationCallDriver.Spoken(twiml));
        Assert.Contains("Jordan", QualificationCallDriver.Spoken(twiml));
        XElement gather = QualificationCallDriver.Gather(twiml)!;
        Assert.Equal("speech", gather.Attribute("input")?.Value);
        Assert.Equal($"{site}/webhooks/voice/qualify/answer?tenant={tenant.Slug}&call={callId}&q=0", gather.Attribute("action")?.Value);
        Assert.Equal("What service do you need?", QualificationCallDriver.Spoken(gather));

        twiml = await QualificationCallSupport.AnswerAllAsync(_driver, call, twiml, Answers);
        Assert.NotNull(twiml.Element("Hangup"));
        Assert.Contains("text you a link", QualificationCallDriver.Spoken(twiml));
        Assert.Equal("in-progress", (await QualificationCallSupport.WaitForCallAsync(tenant, leadId, _ => true)).GetProperty("status").GetString());

        await _driver.StatusAsync(call, "completed", durationSeconds: 94);
        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Channel() == "sms" && m.Status() == "sent"));

        // Qualified from the answers like a text conversation: service, timeline, budget, then score and state.
        JsonElement q = lead.GetProperty("qualification");
        Assert.Equal("Water heater installation", q.GetProperty("service").GetString());
        Assert.Equal("this_week", q.GetProperty("timeline").GetString());
        Assert.Equal("high", q.GetProperty("urgency").GetString());
        Assert.Equal(2000m, q.GetProperty("budget").GetProperty("min").GetDecimal());
        Assert.Equal(2000m, q.GetProperty("budget").GetProperty("max").GetDecimal());
        Assert.Equal("USD", q.GetProperty("budget").GetProperty("currency").GetString());
        Assert.Equal("HOT", lead.GetProperty("score").GetString());
        Assert.Equal("QUALIFIED", lead.GetProperty("state").GetString());

        // The call is in the conversation: one voice message per question and answer.
        var voice = lead.GetProperty("messages").EnumerateArray().Where(m => m.Channel() == "voice").ToList();
        Assert.Equal(5, voice.Count);
        Assert.All(voice, m => Assert.Equal("in", m.GetProperty("direction").GetString()));
        Assert.Equal("Q: What service do you need?\nA: I need a new water heater", voice[0].GetProperty("body").GetString());
        Assert.Contains("about 2000 dollars", voice[2].GetProperty("body").GetString());

        // One text, with the booking link, sent through Twilio's Messages API.
        JsonElement text = Assert.Single(lead.Outbound(), m => m.Channel() == "sms");
        TwilioRequest sms = Assert.Single(_twilio.RequestsTo(phone));
        Assert.Contains(Booking, sms.Field("Body"));
        Assert.Contains("Thanks for taking our call", sms.Field("Body"));
        Assert.Equal(text.GetProperty("body").GetString(), sms.Field("Body"));
        Assert.Equal(sms.MessageSid, text.GetProperty("provider_message_id").GetString());

        JsonElement ended = await QualificationCallSupport.WaitForCallAsync(tenant, leadId, c => c.GetProperty("finalized_at").ValueKind != JsonValueKind.Null);
        Assert.Equal("completed", ended.GetProperty("status").GetString());
        Assert.Equal(94, ended.GetProperty("duration_seconds").GetInt32());
        var questions = ended.GetProperty("questions").EnumerateArray().ToList();
        Assert.Equal(Answers, questions.Select(a => a.GetProperty("answer").GetString()));
        Assert.All(questions, a => Assert.Equal("answered", a.GetProperty("status").GetString()));
        Assert.Equal(0.92, questions[0].GetProperty("confidence").GetDouble(), 3);

        // Why the lead could be called: the number came with the web form.
        JsonElement consent = await (await tenant.Client.GetAsync($"/v1/leads/{leadId}/consent")).JsonAsync(HttpStatusCode.OK);
        JsonElement evidence = Assert.Single(consent.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "call_consent");
        Assert.Equal("web-form", evidence.GetProperty("source").GetString());
        Assert.Equal(callId.ToString(), evidence.GetProperty("reference").GetString());
    }

    [Fact]
    public async Task RepeatedWebhooksStoreEachAnswerOnceAndTextOnce()
    {
        TestTenant tenant = await QualificationCallSupport.TenantAsync(fixture.App, Booking);
        string phone = TextLeads.NewNumber();
        Guid leadId = await QualificationCallSupport.FormLeadAsync(tenant, phone);
        await (await tenant.Client.PostAsync($"/v1/leads/{leadId}/call", null)).JsonAsync(HttpStatusCode.Accepted);
        TwilioCall call = await QualificationCallSupport.DialedAsync(_twilio, phone);

        XElement first = await _driver.PickUpAsync(call);
        XElement second = await _driver.SayAsync(call, first, Answers[0]);
        // Twilio retries the same webhook (and a different transcript of it): the first answer stands, the call goes on alike.
        XElement again = await _driver.SayAsync(call, first, "I need a plumber for a drain");
        Assert.Equal(second.ToString(), again.ToString());
        Assert.Equal(first.ToString(), (await _driver.PickUpAsync(call)).ToString());
        await QualificationCallSupport.AnswerAllAsync(_driver, call, second, Answers[1..]);
        await _driver.StatusAsync(call, "completed", 80);
        await _driver.StatusAsync(call, "completed", 80);

        await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Channel() == "sms" && m.Status() == "sent"));
        await _driver.StatusAsync(call, "completed", 80);
        // Give a wrong second text time to happen before checking that none did.
        await Task.Delay(500);
        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, _ => true);
        Assert.Equal(5, lead.GetProperty("messages").EnumerateArray().Count(m => m.Channel() == "voice"));
        Assert.Single(lead.Outbound(), m => m.Channel() == "sms");
        Assert.Single(_twilio.RequestsTo(phone));
        Assert.Equal("Water heater installation", lead.GetProperty("qualification").GetProperty("service").GetString());
        JsonElement calls = await (await tenant.Client.GetAsync($"/v1/leads/{leadId}/calls")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(Answers[0], Assert.Single(calls.EnumerateArray()).GetProperty("questions")[0].GetProperty("answer").GetString());
    }

    [Fact]
    public async Task SilenceRepeatsTheQuestionOnceThenMovesOn()
    {
        TestTenant tenant = await QualificationCallSupport.TenantAsync(fixture.App, Booking);
        string phone = TextLeads.NewNumber();
        Guid leadId = await QualificationCallSupport.FormLeadAsync(tenant, phone);
        await (await tenant.Client.PostAsync($"/v1/leads/{leadId}/call", null)).JsonAsync(HttpStatusCode.Accepted);
        TwilioCall call = await QualificationCallSupport.DialedAsync(_twilio, phone);

        XElement twiml = await _driver.PickUpAsync(call);
        XElement repeated = await _driver.SayAsync(call, twiml, "");
        Assert.Contains("didn't catch that", QualificationCallDriver.Spoken(repeated));
        Assert.Contains("What service do you need?", QualificationCallDriver.Spoken(repeated));
        Assert.EndsWith("&q=0&attempt=2", QualificationCallDriver.Gather(repeated)!.Attribute("action")!.Value);

        XElement next = await _driver.SayAsync(call, repeated, "");
        Assert.Equal("When would you like the work done?", QualificationCallDriver.Spoken(next));
        // A question that is heard on its second try counts as answered.
        XElement retry = await _driver.SayAsync(call, next, "");
        XElement third = await _driver.SayAsync(call, retry, "this week");
        Assert.Equal("What budget do you have in mind?", QualificationCallDriver.Spoken(third));
        await QualificationCallSupport.AnswerAllAsync(_driver, call, third, Answers[2..]);
        await _driver.StatusAsync(call, "completed", 60);

        JsonElement ended = await QualificationCallSupport.WaitForCallAsync(tenant, leadId, c => c.GetProperty("finalized_at").ValueKind != JsonValueKind.Null);
        var questions = ended.GetProperty("questions").EnumerateArray().ToList();
        Assert.Equal(["unanswered", "answered", "answered", "answered", "answered"], questions.Select(a => a.GetProperty("status").GetString()));
        Assert.Equal(JsonValueKind.Null, questions[0].GetProperty("answer").ValueKind);
        Assert.Equal("this week", questions[1].GetProperty("answer").GetString());

        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Channel() == "sms" && m.Status() == "sent"));
        Assert.Contains(lead.GetProperty("messages").EnumerateArray(), m => m.GetProperty("body").GetString() == "Q: What service do you need?\nA: (no answer)");
        Assert.Equal("this_week", lead.GetProperty("qualification").GetProperty("timeline").GetString());
    }

    [Fact]
    public async Task StopCallingMeOnTheCallOptsOutEndsTheCallAndNothingIsTexted()
    {
        TestTenant tenant = await QualificationCallSupport.TenantAsync(fixture.App, Booking);
        string phone = TextLeads.NewNumber();
        Guid leadId = await QualificationCallSupport.FormLeadAsync(tenant, phone);
        await (await tenant.Client.PostAsync($"/v1/leads/{leadId}/call", null)).JsonAsync(HttpStatusCode.Accepted);
        TwilioCall call = await QualificationCallSupport.DialedAsync(_twilio, phone);

        XElement twiml = await _driver.SayAsync(call, await _driver.PickUpAsync(call), Answers[0]);
        XElement goodbye = await _driver.SayAsync(call, twiml, "please stop calling me");
        Assert.Null(QualificationCallDriver.Gather(goodbye));
        Assert.NotNull(goodbye.Element("Hangup"));
        Assert.Contains("not contact you again", QualificationCallDriver.Spoken(goodbye));
        await _driver.StatusAsync(call, "completed", 30);

        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Channel() == "sms" && m.Status() == "suppressed"));
        Assert.Equal("opted_out", lead.Outbound().Single(m => m.Channel() == "sms").GetProperty("last_error").GetString());
        Assert.Empty(_twilio.RequestsTo(phone));
        JsonElement consent = await (await tenant.Client.GetAsync($"/v1/leads/{leadId}/consent")).JsonAsync(HttpStatusCode.OK);
        Assert.True(Assert.Single(consent.GetProperty("contacts").EnumerateArray()).GetProperty("opted_out").GetBoolean());
        JsonElement optOut = Assert.Single(consent.GetProperty("events").EnumerateArray(), e => e.GetProperty("kind").GetString() == "opt_out");
        Assert.Equal("qualification-call", optOut.GetProperty("source").GetString());
        Assert.Equal("please stop calling me", optOut.GetProperty("wording").GetString());
        Assert.Equal(call.Sid, optOut.GetProperty("reference").GetString());
        await (await tenant.Client.PostAsync($"/v1/leads/{leadId}/call", null)).JsonAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task AnUnansweredCallChangesNoQualificationAndTextsTheBookingLink()
    {
        TestTenant tenant = await QualificationCallSupport.TenantAsync(fixture.App, Booking);
        string phone = TextLeads.NewNumber();
        Guid leadId = await QualificationCallSupport.FormLeadAsync(tenant, phone, message: "Hello, please call me back.");
        JsonElement before = await tenant.Client.WaitForLeadAsync(leadId, l => l.GetProperty("state").GetString() != "NEW");
        await (await tenant.Client.PostAsync($"/v1/leads/{leadId}/call", null)).JsonAsync(HttpStatusCode.Accepted);
        TwilioCall call = await QualificationCallSupport.DialedAsync(_twilio, phone);

        await _driver.StatusAsync(call, "no-answer");
        JsonElement lead = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.Channel() == "sms" && m.Status() == "sent"));
        Assert.Equal(before.GetProperty("score").GetString(), lead.GetProperty("score").GetString());
        Assert.Equal(before.GetProperty("qualification").GetRawText(), lead.GetProperty("qualification").GetRawText());
        Assert.DoesNotContain(lead.GetProperty("messages").EnumerateArray(), m => m.Channel() == "voice");
        TwilioRequest sms = Assert.Single(_twilio.RequestsTo(phone));
        Assert.Contains("Sorry we missed you", sms.Field("Body"));
        Assert.Contains(Booking, sms.Field("Body"));

        JsonElement ended = await QualificationCallSupport.WaitForCallAsync(tenant, leadId, c => c.GetProperty("finalized_at").ValueKind != JsonValueKind.Null);
        Assert.Equal("no-answer", ended.GetProperty("status").GetString());
        Assert.All(ended.GetProperty("questions").EnumerateArray(), a => Assert.Equal("not_asked", a.GetProperty("status").GetString()));

        // The call is over, so the lead may be called again.
        await (await tenant.Client.PostAsync($"/v1/leads/{leadId}/call", null)).JsonAsync(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task LeadsThatCannotBeCalledGetAProblemAndNoCall()
    {
        TestTenant tenant = await QualificationCallSupport.TenantAsync(fixture.App, Booking);

        HttpResponseMessage unknown = await tenant.Client.PostAsync($"/v1/leads/{Guid.NewGuid()}/call", null);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Contains("No lead", (await unknown.JsonAsync(HttpStatusCode.NotFound)).GetProperty("detail").GetString());
        TestTenant other = await QualificationCallSupport.TenantAsync(fixture.App, Booking);
        Guid othersLead = await QualificationCallSupport.FormLeadAsync(other, TextLeads.NewNumber());
        await (await tenant.Client.PostAsync($"/v1/leads/{othersLead}/call", null)).JsonAsync(HttpStatusCode.NotFound);
        await (await tenant.Client.GetAsync($"/v1/leads/{othersLead}/calls")).JsonAsync(HttpStatusCode.NotFound);

        Guid noPhone = await QualificationCallSupport.FormLeadAsync(tenant, phone: null, email: EmailLeads.NewAddress());
        HttpResponseMessage response = await tenant.Client.PostAsync($"/v1/leads/{noPhone}/call", null);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("no phone number", (await response.JsonAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());

        // The lead texted STOP: no call, however it is asked for.
        string optedOut = TextLeads.NewNumber();
        Guid stopped = await QualificationCallSupport.FormLeadAsync(tenant, optedOut);
        await TextLeads.PostAsync(tenant.Client, optedOut, message: "STOP");
        JsonElement problem = await (await tenant.Client.PostAsync($"/v1/leads/{stopped}/call", null)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Contains("opted out", problem.GetProperty("detail").GetString());

        // One call at a time.
        string busy = TextLeads.NewNumber();
        Guid calling = await QualificationCallSupport.FormLeadAsync(tenant, busy);
        await (await tenant.Client.PostAsync($"/v1/leads/{calling}/call", null)).JsonAsync(HttpStatusCode.Accepted);
        problem = await (await tenant.Client.PostAsync($"/v1/leads/{calling}/call", null)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Contains("not over yet", problem.GetProperty("detail").GetString());
        await QualificationCallSupport.DialedAsync(_twilio, busy);

        await Task.Delay(500);
        Assert.Empty(_twilio.CallRequestsTo(optedOut));
        Assert.Single(_twilio.CallRequestsTo(busy));
        Assert.Empty((await (await tenant.Client.GetAsync($"/v1/leads/{stopped}/calls")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task AWebhookWithABadSignatureIs403AndChangesNothing()
    {
        TestTenant tenant = await QualificationCallSupport.TenantAsync(fixture.App, Booking);
        string phone = TextLeads.NewNumber();
        Guid leadId = await QualificationCallSupport.FormLeadAsync(tenant, phone);
        await (await tenant.Client.PostAsync($"/v1/leads/{leadId}/call", null)).JsonAsync(HttpStatusCode.Accepted);
        TwilioCall call = await QualificationCallSupport.DialedAsync(_twilio, phone);
        await QualificationCallSupport.WaitForCallAsync(tenant, leadId, c => c.GetProperty("status").GetString() == "dialing");

        Dictionary<string, string> form = QualificationCallDriver.Fields(call, "in-progress");
        await (await _driver.PostAsync(call.Url!, form, signature: "bm90IGEgc2lnbmF0dXJl")).JsonAsync(HttpStatusCode.Forbidden);
        form["SpeechResult"] = "I need a new water heater";
        string answer = call.Url!.Replace("/start?", "/answer?", StringComparison.Ordinal) + "&q=0";
        await (await _driver.PostAsync(answer, form, signature: "bm90IGEgc2lnbmF0dXJl")).JsonAsync(HttpStatusCode.Forbidden);
        Dictionary<string, string> completed = QualificationCallDriver.Fields(call, "completed");
        JsonElement problem = await (await _driver.PostAsync(call.StatusCallback!, completed, signature: "bm90IGEgc2lnbmF0dXJl"))
            .JsonAsync(HttpStatusCode.Forbidden);
        Assert.Contains("X-Twilio-Signature", problem.GetProperty("detail").GetString());

        JsonElement unchanged = await QualificationCallSupport.WaitForCallAsync(tenant, leadId, _ => true);
        Assert.Equal("dialing", unchanged.GetProperty("status").GetString());
        Assert.All(unchanged.GetProperty("questions").EnumerateArray(), a => Assert.Equal("not_asked", a.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task TwilioServerErrorsAreRetriedAndRejectionsFailTheCall()
    {
        TestTenant tenant = await QualificationCallSupport.TenantAsync(fixture.App, Booking);
        string flaky = TextLeads.NewNumber();
        _twilio.ServerError(flaky);
        Guid first = await QualificationCallSupport.FormLeadAsync(tenant, flaky);
        await (await tenant.Client.PostAsync($"/v1/leads/{first}/call", null)).JsonAsync(HttpStatusCode.Accepted);
        JsonElement dialing = await QualificationCallSupport.WaitForCallAsync(tenant, first, c => c.GetProperty("status").GetString() == "dialing", 15_000);
        Assert.Equal([500, 201], _twilio.CallRequestsTo(flaky).Select(r => r.Status));
        Assert.Equal(2, dialing.GetProperty("attempts").GetInt32());
        Assert.Equal(_twilio.CallRequestsTo(flaky)[1].MessageSid, dialing.GetProperty("provider_call_sid").GetString());

        string invalid = TextLeads.NewNumber();
        _twilio.InvalidNumber(invalid, times: 3);
        Guid second = await QualificationCallSupport.FormLeadAsync(tenant, invalid);
        await (await tenant.Client.PostAsync($"/v1/leads/{second}/call", null)).JsonAsync(HttpStatusCode.Accepted);
        JsonElement failed = await QualificationCallSupport.WaitForCallAsync(tenant, second, c => c.GetProperty("status").GetString() == "failed");
        Assert.Contains("21211", failed.GetProperty("last_error").GetString());
        Assert.DoesNotContain(invalid[2..], failed.GetProperty("last_error").GetString());
        await Task.Delay(500);
        Assert.Single(_twilio.CallRequestsTo(invalid));
        Assert.Empty(_twilio.RequestsTo(invalid));
    }

    [Fact]
    public async Task AutoCallCallsANewFormLeadButNotATextingLead()
    {
        TestTenant tenant = await QualificationCallSupport.TenantAsync(fixture.App, Booking, new { auto_call = true });
        string formPhone = TextLeads.NewNumber();
        Guid formLead = await QualificationCallSupport.FormLeadAsync(tenant, formPhone);
        // The call is queued in the intake's own transaction.
        JsonElement queued = Assert.Single((await (await tenant.Client.GetAsync($"/v1/leads/{formLead}/calls")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal("auto_call", queued.GetProperty("started_by").GetString());
        TwilioCall call = await QualificationCallSupport.DialedAsync(_twilio, formPhone);
        Assert.Equal(QualificationCallFixture<TApp>.SmsFrom, call.From);

        string textPhone = TextLeads.NewNumber();
        Guid textLead = await TextLeads.PostAsync(tenant.Client, textPhone, channel: "sms");
        await EmailLeads.WaitForReplyAsync(tenant.Client, textLead);
        Assert.Empty((await (await tenant.Client.GetAsync($"/v1/leads/{textLead}/calls")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Empty(_twilio.CallRequestsTo(textPhone));

        // A second inquiry from the form lead is no new lead: no second call.
        await QualificationCallSupport.FormLeadAsync(tenant, formPhone, message: "Also, do you fix leaking taps?");
        Assert.Single((await (await tenant.Client.GetAsync($"/v1/leads/{formLead}/calls")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task WithoutAPublicUrlCallsAre503AndSayWhatToSet()
    {
        await using TApp bare = new();
        bare.With("TWILIO_ACCOUNT_SID", FakeTwilio.AccountSid)
            .With("TWILIO_AUTH_TOKEN", FakeTwilio.AuthToken)
            .With("TWILIO_FROM_NUMBER", QualificationCallFixture<TApp>.SmsFrom)
            .With("TWILIO_API_BASE_URL", _twilio.BaseUrl);
        TestTenant tenant = await QualificationCallSupport.TenantAsync(bare, Booking);
        string phone = TextLeads.NewNumber();
        Guid leadId = await QualificationCallSupport.FormLeadAsync(tenant, phone);
        JsonElement problem = await (await tenant.Client.PostAsync($"/v1/leads/{leadId}/call", null)).JsonAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Contains("PUBLIC_BASE_URL", problem.GetProperty("detail").GetString());
        Assert.Empty((await (await tenant.Client.GetAsync($"/v1/leads/{leadId}/calls")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
    }
}

public sealed class SqliteQualificationCallTests(QualificationCallFixture<SqliteApp> fixture)
    : QualificationCallTests<SqliteApp>(fixture), IClassFixture<QualificationCallFixture<SqliteApp>>;

public sealed class PostgresQualificationCallTests(QualificationCallFixture<PostgresApp> fixture)
    : QualificationCallTests<PostgresApp>(fixture), IClassFixture<QualificationCallFixture<PostgresApp>>;
