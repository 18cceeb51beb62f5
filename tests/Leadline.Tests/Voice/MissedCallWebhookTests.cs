using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using Leadline.Intake;
using Leadline.Tests.Delivery;
using Leadline.Tests.Infrastructure;
using Leadline.Tests.Knowledge;

namespace Leadline.Tests.Voice;

/// <summary>
/// Missed calls through Twilio's voice webhooks, signed, over HTTP: the owner's phone rings in the day, an unanswered
/// call gets the spoken message and one text-back a day (through a fake Twilio), on both databases.
/// </summary>
public abstract class MissedCallWebhookTests<TApp>(MissedCallFixture<TApp> fixture) where TApp : LeadlineApp, new()
{
    private const string Booking = "https://cal.com/harbor-plumbing/estimate";
    private const string Zone = "America/Chicago";
    private const string Owner = "+13125550100";

    private LeadlineApp App => fixture.App;

    private FakeTwilio Twilio => fixture.Twilio;

    /// <summary>A plumber in Chicago with the default hours (weekdays, day 08:00-18:00, evening 18:00-21:00).</summary>
    private async Task<TestTenant> TenantAsync(object? settings = null)
    {
        TestTenant tenant = await App.CreateTenantAsync(new { business_name = "Harbor Plumbing", booking_link = Booking, timezone = Zone });
        await PutSettingsAsync(tenant, settings ?? new { owner_phone = Owner });
        return tenant;
    }

    private static async Task PutSettingsAsync(TestTenant tenant, object settings) =>
        await (await tenant.Client.PutAsync("/v1/admin/settings", new StringContent(
            JsonSerializer.Serialize(settings, TestJson.Options), System.Text.Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.OK);

    private static string NewCallSid() => "CA" + Guid.NewGuid().ToString("N");

    /// <summary>Posts a form the way Twilio does, signed for the public URL <paramref name="url"/> (or with the given signature).</summary>
    private async Task<HttpResponseMessage> PostAsync(string url, Dictionary<string, string> form, string? signature = null)
    {
        var target = new Uri(url, UriKind.RelativeOrAbsolute);
        string publicUrl = target.IsAbsoluteUri ? url : TwilioFixture<SqliteApp>.PublicBaseUrl + url;
        var request = new HttpRequestMessage(HttpMethod.Post, target.IsAbsoluteUri ? target.PathAndQuery : url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", signature ?? TwilioSignature.Compute(FakeTwilio.AuthToken, publicUrl,
            form.Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Key, [p.Value]))));
        return await App.CreateClient().SendAsync(request);
    }

    private static Dictionary<string, string> CallForm(string callSid, string from) => new()
    {
        ["AccountSid"] = FakeTwilio.AccountSid,
        ["CallSid"] = callSid,
        ["From"] = from,
        ["To"] = MissedCallFixture<TApp>.BusinessLine,
        ["CallStatus"] = "ringing",
        ["Direction"] = "inbound",
        ["ApiVersion"] = "2010-04-01",
    };

    private async Task<XElement> CallAsync(TestTenant tenant, string from, string? callSid = null)
    {
        HttpResponseMessage response = await PostAsync($"/webhooks/voice/incoming?tenant={tenant.Slug}", CallForm(callSid ?? NewCallSid(), from));
        return await TwimlAsync(response);
    }

    private async Task<XElement> DialStatusAsync(string actionUrl, string callSid, string from, string status)
    {
        var form = CallForm(callSid, from);
        form["CallStatus"] = "in-progress";
        form["DialCallStatus"] = status;
        form["DialCallSid"] = NewCallSid();
        form["DialCallDuration"] = status == "completed" ? "42" : "0";
        return await TwimlAsync(await PostAsync(actionUrl, form));
    }

    private async Task CallStatusAsync(TestTenant tenant, string callSid, string from, string status)
    {
        var form = CallForm(callSid, from);
        form["CallStatus"] = status;
        form["CallDuration"] = "7";
        HttpResponseMessage response = await PostAsync($"/webhooks/voice/status?tenant={tenant.Slug}", form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task<XElement> TwimlAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200 but got {(int)response.StatusCode}: {text}");
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        XElement root = XDocument.Parse(text).Root!;
        Assert.Equal("Response", root.Name.LocalName);
        return root;
    }

    /// <summary>The spoken message and the hang-up, with nothing rung.</summary>
    private static string AssertSpoken(XElement twiml, string language = "en-US")
    {
        Assert.Equal(["Say", "Hangup"], twiml.Elements().Select(e => e.Name.LocalName));
        XElement say = twiml.Element("Say")!;
        Assert.Equal(language, say.Attribute("language")?.Value);
        return say.Value;
    }

    private static async Task<JsonElement?> FindLeadAsync(TestTenant tenant, string phone)
    {
        JsonElement list = await (await tenant.Client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK);
        JsonElement[] matches = list.GetProperty("items").EnumerateArray().Where(l => l.GetProperty("phone").GetString() == phone).ToArray();
        return matches.Length == 0 ? null : Assert.Single(matches);
    }

    private static async Task<JsonElement> LeadAsync(TestTenant tenant, string phone, Func<JsonElement, bool>? done = null)
    {
        JsonElement found = await FindLeadAsync(tenant, phone) ?? throw new Xunit.Sdk.XunitException($"no lead with phone {phone}");
        return await tenant.Client.WaitForLeadAsync(found.GetProperty("id").GetGuid(), done ?? (_ => true));
    }

    private static Func<JsonElement, bool> Sent(int count) => l => l.Outbound().Count(m => m.Status() == "sent") >= count;

    private static async Task<JsonElement> AuditAsync(TestTenant tenant, JsonElement lead, string kind) =>
        await (await tenant.Client.GetAsync($"/v1/leads/{lead.GetProperty("id").GetGuid()}/audit?kind={kind}")).JsonAsync(HttpStatusCode.OK);

    [Fact]
    public async Task DayModeRingsTheOwnerFirstWithTheTimeoutAndASignedActionUrl()
    {
        TestTenant tenant = await TenantAsync(new { owner_phone = Owner, dial_timeout_seconds = 25 });
        fixture.MoveTo(Zone, DayOfWeek.Wednesday, new TimeOnly(10, 0));
        string caller = TextLeads.NewNumber();
        string sid = NewCallSid();

        XElement twiml = await CallAsync(tenant, caller, sid);
        XElement dial = Assert.Single(twiml.Elements());
        Assert.Equal("Dial", dial.Name.LocalName);
        Assert.Equal("25", dial.Attribute("timeout")?.Value);
        Assert.Equal("POST", dial.Attribute("method")?.Value);
        Assert.Equal(MissedCallFixture<TApp>.BusinessLine, dial.Attribute("callerId")?.Value);
        Assert.Equal(Owner, dial.Element("Number")?.Value);
        string action = dial.Attribute("action")!.Value;
        Assert.Equal($"{TwilioFixture<SqliteApp>.PublicBaseUrl}/webhooks/voice/dial-status?tenant={tenant.Slug}", action);

        // Nothing is texted while the owner's phone rings.
        Assert.Null(await FindLeadAsync(tenant, caller));
        Assert.Empty(Twilio.RequestsTo(caller));

        // Twilio signs its post to the action URL with that URL, and Leadline accepts it.
        string spoken = AssertSpoken(await DialStatusAsync(action, sid, caller, "no-answer"));
        Assert.Contains("Harbor Plumbing", spoken);
    }

    [Fact]
    public async Task WhenTheOwnerAnswersTheCallEndsAndNobodyIsTexted()
    {
        TestTenant tenant = await TenantAsync();
        fixture.MoveTo(Zone, DayOfWeek.Thursday, new TimeOnly(11, 0));
        string caller = TextLeads.NewNumber();
        string sid = NewCallSid();
        string action = (await CallAsync(tenant, caller, sid)).Element("Dial")!.Attribute("action")!.Value;

        XElement twiml = await DialStatusAsync(action, sid, caller, "completed");
        Assert.Equal(["Hangup"], twiml.Elements().Select(e => e.Name.LocalName));
        // A retried callback changes nothing either.
        await DialStatusAsync(action, sid, caller, "completed");

        // The text-back would be queued with the lead, in one transaction: no lead means no text, now or later.
        Assert.Null(await FindLeadAsync(tenant, caller));
        Assert.Empty(Twilio.RequestsTo(caller));
    }

    [Fact]
    public async Task ACallerWhoHangsUpWhileTheOwnersPhoneRingsIsTextedOnceByTheCallStatus()
    {
        TestTenant tenant = await TenantAsync();
        fixture.MoveTo(Zone, DayOfWeek.Monday, new TimeOnly(9, 15));
        string caller = TextLeads.NewNumber();
        string sid = NewCallSid();
        Assert.NotNull((await CallAsync(tenant, caller, sid)).Element("Dial"));

        // No dial outcome came: the call ended while ringing. Twilio posts the end of the call (retried here).
        await CallStatusAsync(tenant, sid, caller, "completed");
        await CallStatusAsync(tenant, sid, caller, "completed");

        JsonElement lead = await LeadAsync(tenant, caller, Sent(1));
        Assert.Equal("missed_call", lead.GetProperty("source").GetString());
        TwilioRequest sms = Assert.Single(Twilio.RequestsTo(caller));
        Assert.Contains("Sorry we missed your call to Harbor Plumbing", sms.Field("Body"));
    }

    [Fact]
    public async Task TheEndOfACallTheOwnerAnsweredOrThatNeverRangTextsNobody()
    {
        TestTenant tenant = await TenantAsync();
        fixture.MoveTo(Zone, DayOfWeek.Thursday, new TimeOnly(11, 0));
        string answeredCaller = TextLeads.NewNumber();
        string sid = NewCallSid();
        string action = (await CallAsync(tenant, answeredCaller, sid)).Element("Dial")!.Attribute("action")!.Value;
        await DialStatusAsync(action, sid, answeredCaller, "completed");
        await CallStatusAsync(tenant, sid, answeredCaller, "completed");

        // A status for a call Leadline never saw (another flow on the number) is not a missed call.
        string stranger = TextLeads.NewNumber();
        await CallStatusAsync(tenant, NewCallSid(), stranger, "no-answer");

        Assert.Null(await FindLeadAsync(tenant, answeredCaller));
        Assert.Null(await FindLeadAsync(tenant, stranger));
        Assert.Empty(Twilio.RequestsTo(answeredCaller));
        Assert.Empty(Twilio.RequestsTo(stranger));
    }

    [Theory]
    [InlineData("no-answer")]
    [InlineData("busy")]
    public async Task AnUnansweredRingGivesTheMessageAndATextWithTheBookingLink(string dialStatus)
    {
        TestTenant tenant = await TenantAsync();
        fixture.MoveTo(Zone, DayOfWeek.Tuesday, new TimeOnly(14, 30));
        string caller = TextLeads.NewNumber();
        string sid = NewCallSid();
        string action = (await CallAsync(tenant, caller, sid)).Element("Dial")!.Attribute("action")!.Value;

        string spoken = AssertSpoken(await DialStatusAsync(action, sid, caller, dialStatus));
        Assert.Contains("Thanks for calling Harbor Plumbing", spoken);
        Assert.Contains("text message", spoken);

        JsonElement lead = await LeadAsync(tenant, caller, Sent(1));
        Assert.Equal("missed_call", lead.GetProperty("source").GetString());
        TwilioRequest sms = Assert.Single(Twilio.RequestsTo(caller));
        Assert.Equal(201, sms.Status);
        Assert.Equal(MissedCallFixture<TApp>.BusinessLine, sms.Field("From"));
        Assert.Contains("Sorry we missed your call to Harbor Plumbing", sms.Field("Body"));
        Assert.Contains(Booking, sms.Field("Body"));

        // The conversation shows the call and the text, which Twilio accepted.
        var messages = lead.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["in", "out"], messages.Select(m => m.GetProperty("direction").GetString()));
        Assert.Equal(("voice", "(missed call)"), (messages[0].GetProperty("channel").GetString(), messages[0].GetProperty("body").GetString()));
        Assert.Equal("sms", messages[1].GetProperty("channel").GetString());
        Assert.Equal(sms.MessageSid, messages[1].GetProperty("provider_message_id").GetString());

        JsonElement decided = Assert.Single((await AuditAsync(tenant, lead, "missed_call.texted")).EnumerateArray());
        Assert.Equal("day", decided.GetProperty("data").GetProperty("mode").GetString());
        Assert.Equal(dialStatus, decided.GetProperty("data").GetProperty("dial_status").GetString());
        Assert.Equal(sid, decided.GetProperty("data").GetProperty("call_sid").GetString());

        // The call is the consent evidence the text rests on.
        JsonElement consent = await (await tenant.Client.GetAsync($"/v1/leads/{lead.GetProperty("id").GetGuid()}/consent")).JsonAsync(HttpStatusCode.OK);
        JsonElement evidence = Assert.Single(consent.GetProperty("events").EnumerateArray());
        Assert.Equal(("implied_consent", "missed_call", sid),
            (evidence.GetProperty("kind").GetString(), evidence.GetProperty("source").GetString(), evidence.GetProperty("reference").GetString()));
    }

    [Theory]
    [InlineData(DayOfWeek.Wednesday, 19, 0, "evening")]
    [InlineData(DayOfWeek.Wednesday, 23, 30, "night")]
    [InlineData(DayOfWeek.Saturday, 10, 0, "night")]
    public async Task EveningNightAndNonBusinessDaysSkipTheRingAndTextAtOnce(DayOfWeek day, int hour, int minute, string mode)
    {
        TestTenant tenant = await TenantAsync();
        fixture.MoveTo(Zone, day, new TimeOnly(hour, minute));
        string caller = TextLeads.NewNumber();

        AssertSpoken(await CallAsync(tenant, caller));
        // Sent at once, even at night: the caller has just called (the lead's quiet hours do not hold it back).
        JsonElement lead = await LeadAsync(tenant, caller, Sent(1));
        Assert.Equal("sent", Assert.Single(lead.Outbound()).Status());
        Assert.Contains(Booking, Assert.Single(Twilio.RequestsTo(caller)).Field("Body"));
        JsonElement decided = Assert.Single((await AuditAsync(tenant, lead, "missed_call.texted")).EnumerateArray());
        Assert.Equal(mode, decided.GetProperty("data").GetProperty("mode").GetString());
    }

    [Fact]
    public async Task DayModeWithoutAnOwnerPhoneTextsAtOnce()
    {
        TestTenant tenant = await TenantAsync(new { owner_phone = "" });
        fixture.MoveTo(Zone, DayOfWeek.Monday, new TimeOnly(9, 0));
        string caller = TextLeads.NewNumber();

        AssertSpoken(await CallAsync(tenant, caller));
        await LeadAsync(tenant, caller, Sent(1));
        Assert.Single(Twilio.RequestsTo(caller));
    }

    [Fact]
    public async Task ASecondCallWithinADayHearsTheMessageButIsNotTextedAgainAndAfterADayItIs()
    {
        TestTenant tenant = await TenantAsync();
        fixture.MoveTo(Zone, DayOfWeek.Wednesday, new TimeOnly(22, 0));
        string caller = TextLeads.NewNumber();
        string first = NewCallSid();
        await CallAsync(tenant, caller, first);
        await LeadAsync(tenant, caller, Sent(1));

        fixture.Clock.Advance(TimeSpan.FromHours(23));
        string spoken = AssertSpoken(await CallAsync(tenant, caller));
        Assert.Contains("Harbor Plumbing", spoken);
        Assert.DoesNotContain("text message", spoken);
        // The decision not to text is committed before Twilio gets its answer: no second text was ever queued.
        JsonElement lead = await LeadAsync(tenant, caller);
        Assert.Single(lead.Outbound());
        Assert.Equal(2, lead.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("direction").GetString() == "in"));
        JsonElement suppressed = Assert.Single((await AuditAsync(tenant, lead, "missed_call.suppressed")).EnumerateArray());
        Assert.Equal(first, suppressed.GetProperty("data").GetProperty("texted_before").GetProperty("call_sid").GetString());
        string metrics = await (await App.CreateClient().GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Contains("missed_calls_total{mode=\"night\",outcome=\"suppressed\"}", metrics);
        Assert.Contains("missed_calls_total{mode=\"night\",outcome=\"texted\"}", metrics);

        fixture.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        AssertSpoken(await CallAsync(tenant, caller));
        lead = await LeadAsync(tenant, caller, Sent(2));
        Assert.Equal(2, lead.Outbound().Count(m => m.Status() == "sent"));
        Assert.Equal(2, Twilio.RequestsTo(caller).Count);
    }

    [Fact]
    public async Task TheSameCallSidTwiceIsOneLeadAndOneText()
    {
        TestTenant tenant = await TenantAsync();
        fixture.MoveTo(Zone, DayOfWeek.Thursday, new TimeOnly(19, 30));
        string caller = TextLeads.NewNumber();
        string sid = NewCallSid();

        XElement[] answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CallAsync(tenant, caller, sid)));
        Assert.All(answers, a => AssertSpoken(a));
        JsonElement lead = await LeadAsync(tenant, caller, Sent(1));
        Assert.Single(lead.Outbound());
        Assert.Single(lead.GetProperty("messages").EnumerateArray(), m => m.GetProperty("direction").GetString() == "in");
        Assert.Single(Twilio.RequestsTo(caller));
    }

    [Fact]
    public async Task CallsFromOneCallerAtOnceGetOneText()
    {
        TestTenant tenant = await TenantAsync();
        fixture.MoveTo(Zone, DayOfWeek.Friday, new TimeOnly(20, 0));
        string caller = TextLeads.NewNumber();

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => CallAsync(tenant, caller)));
        JsonElement lead = await LeadAsync(tenant, caller, Sent(1));
        Assert.Single(lead.Outbound());
        Assert.Equal(4, lead.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("direction").GetString() == "in"));
        Assert.Equal(3, (await AuditAsync(tenant, lead, "missed_call.suppressed")).GetArrayLength());
        Assert.Single(Twilio.RequestsTo(caller));
    }

    [Fact]
    public async Task AnOptedOutCallerHearsTheMessageButGetsNoText()
    {
        TestTenant tenant = await TenantAsync();
        fixture.MoveTo(Zone, DayOfWeek.Monday, new TimeOnly(19, 0));
        string caller = TextLeads.NewNumber();
        (await PostAsync($"/webhooks/sms/inbound?tenant={tenant.Slug}", new Dictionary<string, string>
        {
            ["AccountSid"] = FakeTwilio.AccountSid, ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"),
            ["From"] = caller, ["To"] = MissedCallFixture<TApp>.BusinessLine, ["Body"] = "STOP",
        })).EnsureSuccessStatusCode();
        await LeadAsync(tenant, caller, Sent(1));
        Assert.Single(Twilio.RequestsTo(caller));

        AssertSpoken(await CallAsync(tenant, caller));
        JsonElement lead = await LeadAsync(tenant, caller, l => l.Outbound().Any(m => m.Status() == "suppressed"));
        JsonElement textBack = Assert.Single(lead.Outbound(), m => m.Status() == "suppressed");
        Assert.Equal("opted_out", textBack.GetProperty("last_error").GetString());
        Assert.Single(Twilio.RequestsTo(caller));
    }

    [Fact]
    public async Task ABadSignatureIs403AndStoresNothing()
    {
        TestTenant tenant = await TenantAsync();
        fixture.MoveTo(Zone, DayOfWeek.Tuesday, new TimeOnly(22, 0));
        string caller = TextLeads.NewNumber();
        string sid = NewCallSid();

        HttpResponseMessage forged = await PostAsync($"/webhooks/voice/incoming?tenant={tenant.Slug}", CallForm(sid, caller), signature: "bm90IGEgc2lnbmF0dXJl");
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Twilio-Signature", (await forged.JsonAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
        var status = CallForm(sid, caller);
        status["DialCallStatus"] = "no-answer";
        await (await PostAsync($"/webhooks/voice/dial-status?tenant={tenant.Slug}", status, signature: "bm90IGEgc2lnbmF0dXJl"))
            .JsonAsync(HttpStatusCode.Forbidden);
        Assert.Null(await FindLeadAsync(tenant, caller));
        Assert.Empty(Twilio.RequestsTo(caller));

        // Nothing of the forged call was kept: the genuine call with its CallSid is new, and texted.
        AssertSpoken(await CallAsync(tenant, caller, sid));
        await LeadAsync(tenant, caller, Sent(1));
        Assert.Single(Twilio.RequestsTo(caller));
    }

    [Fact]
    public async Task AWithheldNumberHearsTheMessageAndNoLeadIsMade()
    {
        TestTenant tenant = await TenantAsync();
        fixture.MoveTo(Zone, DayOfWeek.Tuesday, new TimeOnly(21, 30));
        string spoken = AssertSpoken(await CallAsync(tenant, "anonymous"));
        Assert.Contains("call again later", spoken);
        JsonElement leads = await (await tenant.Client.GetAsync("/v1/leads")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(leads.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task TheCallersTextReplyJoinsTheConversation()
    {
        TestTenant tenant = await SampleFaqs.TenantAsync(App, Booking, new { timezone = Zone });
        fixture.MoveTo(Zone, DayOfWeek.Thursday, new TimeOnly(18, 30));
        string caller = TextLeads.NewNumber();
        AssertSpoken(await CallAsync(tenant, caller));
        JsonElement called = await LeadAsync(tenant, caller, Sent(1));
        Assert.Contains("Sorry we missed your call to Bright Smile", Assert.Single(called.Outbound()).GetProperty("body").GetString());

        (await PostAsync($"/webhooks/sms/inbound?tenant={tenant.Slug}", new Dictionary<string, string>
        {
            ["AccountSid"] = FakeTwilio.AccountSid, ["MessageSid"] = "SM" + Guid.NewGuid().ToString("N"),
            ["From"] = caller, ["To"] = MissedCallFixture<TApp>.BusinessLine, ["Body"] = "Do you accept dental insurance?",
        })).EnsureSuccessStatusCode();

        JsonElement lead = await LeadAsync(tenant, caller, Sent(2));
        Assert.Equal(called.GetProperty("id").GetGuid(), lead.GetProperty("id").GetGuid());
        Assert.Equal(called.GetProperty("conversation_id").GetGuid(), lead.GetProperty("conversation_id").GetGuid());
        var messages = lead.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["in", "out", "in", "out"], messages.Select(m => m.GetProperty("direction").GetString()));
        Assert.Contains("Delta Dental", messages[3].GetProperty("body").GetString());
        Assert.Equal(2, Twilio.RequestsTo(caller).Count);
    }

    [Fact]
    public async Task TheTenantsOwnMessageIsSpokenAndTheTextIsInItsLanguage()
    {
        TestTenant tenant = await TenantAsync(new { languages = new[] { "ar" }, missed_call_message = "مرحباً بكم في هاربر للسباكة، سنعاود الاتصال بكم." });
        fixture.MoveTo(Zone, DayOfWeek.Wednesday, new TimeOnly(20, 0));
        string caller = TextLeads.NewNumber();

        string spoken = AssertSpoken(await CallAsync(tenant, caller), language: "ar-SA");
        Assert.Equal("مرحباً بكم في هاربر للسباكة، سنعاود الاتصال بكم.", spoken);
        await LeadAsync(tenant, caller, Sent(1));
        string text = Assert.Single(Twilio.RequestsTo(caller)).Field("Body")!;
        Assert.Contains("فاتتنا مكالمتك", text);
        Assert.Contains(Booking, text);
    }
}

public sealed class SqliteMissedCallWebhookTests(MissedCallFixture<SqliteApp> fixture)
    : MissedCallWebhookTests<SqliteApp>(fixture), IClassFixture<MissedCallFixture<SqliteApp>>;

public sealed class PostgresMissedCallWebhookTests(MissedCallFixture<PostgresApp> fixture)
    : MissedCallWebhookTests<PostgresApp>(fixture), IClassFixture<MissedCallFixture<PostgresApp>>;
