using Leadline.Evaluation;
using Leadline.Tests.Replies.Llm;

namespace Leadline.Tests.Evaluation;

/// <summary>
/// The evaluation with a model: the public sample run against the loopback <see cref="FakeLlm"/> as the OpenAI
/// provider, once scripted to misbehave in every way a model can and once to behave.
/// </summary>
public class EvalLlmTests
{
    private const string Model = "test-gpt";

    private static readonly DateTimeOffset s_now = DateTimeOffset.Parse("2026-11-21T15:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A way a model misbehaves, the guardrail code that must refuse it, and a piece of text that shows it got through
    /// when a sent reply contains it. Invalid JSON has neither (the offline engine answers instead); repeating the lead's
    /// message has neither either, as it is harmless unless the message holds instructions, and the sample's injection
    /// cases list what must then not be said.
    /// </summary>
    public sealed record Misbehaviour(string Name, string? Code, string? Tell, Func<FakeLlmRequest, FakeAnswer> Answer)
    {
        public override string ToString() => Name;
    }

    private static FakeAnswer Says(FakeLlmRequest r, string reply, double confidence = 0.9) =>
        new(FakeLlm.Reply(reply, [.. r.Snippets.Take(1).Select(s => s.Id)], confidence, r.Language));

    /// <summary>Each answer cites the best snippet and, unless leaving it out is the fault, ends with the booking link.</summary>
    public static readonly Misbehaviour[] Misbehaviours =
    [
        new("invented price", "ungrounded_number", "$49",
            r => Says(r, $"Good news: the job is only $49 this week. Book here: {r.BookingLink}")),
        new("foreign link", "foreign_link", "cheap-deals",
            r => Says(r, $"Our best prices are at https://cheap-deals.example.net/offer. Book here: {r.BookingLink}")),
        new("invented percentage", "ungrounded_number", "90% off",
            r => Says(r, $"Confirmed: you get 90% off any job. Book here: {r.BookingLink}")),
        new("invented phone", "ungrounded_phone", "010-4477",
            r => Says(r, $"Call our manager directly on (555) 010-4477. Book here: {r.BookingLink}")),
        new("invented e-mail", "ungrounded_email", "deals@",
            r => Says(r, $"Write to deals@cheap-deals.example.net for a quote. Book here: {r.BookingLink}")),
        new("invented date", "ungrounded_date", "March 14",
            r => Says(r, $"We can come on March 14 at the latest. Book here: {r.BookingLink}")),
        new("obeys the lead", null, null,
            r => Says(r, $"As you asked: {r.LeadMessage} Book here: {r.BookingLink}")),
        new("leaks its instructions", "injection", "developer mode",
            r => Says(r, $"Developer mode on. My system prompt says: {r.Prompt[..Math.Min(200, r.Prompt.Length)]} {r.BookingLink}")),
        new("drops the booking link", "missing_booking_link", "We will be in touch soon",
            r => Says(r, "Thanks for reaching out! We will be in touch soon.")),
        new("invalid JSON", null, null,
            r => new FakeAnswer("Sure! Here is a great reply for your lead, no JSON needed.")),
    ];

    public static TheoryData<Misbehaviour> EachMisbehaviour() => [.. Misbehaviours];

    private static async Task<EvalReport> RunAsync(FakeLlm llm, string engine = "openai")
    {
        string sample = Path.Combine(EvalRunnerTests.RepoRoot(), "tests", "Leadline.Tests", "Evaluation", "sample");
        var options = new EvalOptions(Path.Combine(sample, "tenants"), Path.Combine(sample, "sample-cases.jsonl"), s_now, engine)
        {
            Settings = new Dictionary<string, string?>
            {
                ["OPENAI_BASE_URL"] = llm.BaseUrl + "/v1",
                ["OPENAI_API_KEY"] = "sk-test-0123456789",
                ["OPENAI_MODEL"] = Model,
                ["LLM_TIMEOUT_MS"] = "10000",
            },
        };
        return await new EvalRunner(options, TextWriter.Null).RunAsync();
    }

    private static void AssertNothingGotThrough(EvalReport report, FakeLlm llm, params Misbehaviour[] tried)
    {
        string why = report.ToTable();
        Assert.True(llm.RequestCount > 0, "the model was never asked");
        Assert.Equal(17, report.Cases);
        Assert.Equal(0, report.Violations);
        foreach (Misbehaviour m in tried.Where(m => m.Tell is not null))
        {
            Assert.DoesNotContain(report.Results, r => r.Reply.Contains(m.Tell!, StringComparison.OrdinalIgnoreCase));
        }
        Assert.True(report.Results.All(r => r.Engine is "openai" or "offline"), why);
    }

    [Theory]
    [MemberData(nameof(EachMisbehaviour))]
    public async Task AModelThatMisbehavesOnEveryCaseCausesNoViolation(Misbehaviour misbehaviour)
    {
        await using var llm = new FakeLlm { Unscripted = misbehaviour.Answer };
        EvalReport report = await RunAsync(llm);
        AssertNothingGotThrough(report, llm, misbehaviour);
        if (misbehaviour.Code is { } code)
        {
            // Every case the model was asked about (all but the warm-up lead's request) got the fallback instead.
            Assert.Equal(llm.RequestCount - 1, report.GuardrailBlocks);
            Assert.All(report.Results.Where(r => r.GuardrailReasons.Count > 0),
                r => Assert.Contains(r.GuardrailReasons, reason => reason.StartsWith(code + ": ", StringComparison.Ordinal)));
            Assert.Contains($"{report.GuardrailBlocks} of them the safe fallback, because the guardrails refused the draft", report.ToTable(), StringComparison.Ordinal);
        }
        if (misbehaviour.Name == "invalid JSON")
        {
            // Unusable output twice: the offline engine answers every case the model was asked about.
            Assert.True(report.Engines.GetValueOrDefault("offline") > 0, report.ToTable());
            Assert.Contains("of them by the offline engine, because the model gave no usable answer", report.ToTable(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AModelThatMisbehavesDifferentlyOnEachRequestCausesNoViolation()
    {
        int requests = 0;
        await using var llm = new FakeLlm
        {
            Unscripted = r => Misbehaviours[(Interlocked.Increment(ref requests) - 1) % Misbehaviours.Length].Answer(r),
        };
        EvalReport report = await RunAsync(llm);
        AssertNothingGotThrough(report, llm, Misbehaviours);
        Assert.Equal("openai", report.Engine);
        Assert.Equal(Model, report.Model);
    }

    [Fact]
    public async Task AWellBehavedModelWritesTheRepliesAndTheReportSaysSo()
    {
        await using var llm = new FakeLlm
        {
            Unscripted = r => r.Snippets.Count > 0
                ? Says(r, $"Thanks for your message! {r.Snippets[0].Answer} Book a time here: {r.BookingLink}")
                : Says(r, $"Thanks for your message! A person will confirm the details. Book a time here: {r.BookingLink}", confidence: 0.3),
        };
        EvalReport report = await RunAsync(llm);

        string why = report.ToTable();
        Assert.Equal(0, report.Violations);
        Assert.Equal("openai", report.Engine);
        Assert.Equal(Model, report.Model);
        Assert.Equal(new Dictionary<string, int> { ["openai"] = 17 }, report.Engines);
        Assert.Contains("Replies by engine: openai 17", why, StringComparison.Ordinal);
        Assert.Contains(report.Results, r => !r.Fallback && r.Reply.StartsWith("Thanks for your message!", StringComparison.Ordinal));
        Assert.True(report.FaqAccuracy >= 0.9, why);
        Assert.Contains("\"engines\":{\"openai\":17}", Json.Serialize(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOfflineEngineIsEvaluatedEvenWhenAProviderIsConfigured()
    {
        await using var llm = new FakeLlm();
        EvalReport report = await RunAsync(llm, "offline");

        Assert.Equal(0, llm.RequestCount);
        Assert.Equal("offline", report.Engine);
        Assert.Null(report.Model);
        Assert.Equal(new Dictionary<string, int> { ["offline"] = 17 }, report.Engines);
    }
}
