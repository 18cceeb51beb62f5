using System.Net;
using System.Text.Json;
using Leadline.Tests.Infrastructure;
using Leadline.Tests.Knowledge;

namespace Leadline.Tests.Replies.Llm;

/// <summary>The app on <typeparamref name="TApp"/>'s database with OpenAI (default) and Anthropic pointed at one <see cref="FakeLlm"/>.</summary>
public sealed class LlmFixture<TApp> : IAsyncLifetime where TApp : LeadlineApp, new()
{
    public const string OpenAiModel = "test-gpt";
    public const string AnthropicModel = "test-claude";

    public LlmFixture()
    {
        Llm = new FakeLlm();
        App = new TApp();
        App.With("OPENAI_API_KEY", "sk-test-0123456789")
            .With("OPENAI_BASE_URL", Llm.BaseUrl + "/v1")
            .With("OPENAI_MODEL", OpenAiModel)
            .With("ANTHROPIC_API_KEY", "sk-ant-test-0123456789")
            .With("ANTHROPIC_BASE_URL", Llm.BaseUrl)
            .With("ANTHROPIC_MODEL", AnthropicModel)
            .With("LLM_PROVIDER", "openai")
            .With("LLM_TIMEOUT_MS", "1500");
    }

    public FakeLlm Llm { get; }

    public TApp App { get; }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        await Llm.DisposeAsync();
    }
}

/// <summary>LLM replies over the real wire protocols: good answers, misbehaving models and failing providers.</summary>
public abstract class LlmReplyTests(LeadlineApp app, FakeLlm llm)
{
    private const string Booking = "https://cal.com/bright-smile/visit";
    private const string InsuranceAnswer = "Yes, we accept most PPO insurance plans, including Delta Dental and Cigna.";

    private async Task<TestTenant> TenantAsync(string? engine = null)
    {
        TestTenant tenant = await app.CreateTenantAsync(new { business_name = "Bright Smile", booking_link = Booking });
        await (await tenant.Client.PostJsonAsync("/v1/admin/faqs/import", SampleFaqs.Items)).JsonAsync(HttpStatusCode.OK);
        if (engine is not null)
        {
            await (await tenant.Client.PutAsync("/v1/admin/settings",
                new StringContent(JsonSerializer.Serialize(new { engine }), System.Text.Encoding.UTF8, "application/json"))).JsonAsync(HttpStatusCode.OK);
        }
        return tenant;
    }

    private static async Task<JsonElement> SendAsync(TestTenant tenant, string message)
    {
        var accepted = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", new
        {
            event_id = Guid.NewGuid().ToString(),
            email = $"lead{Guid.NewGuid():N}@example.com",
            first_name = "Sam",
            message,
        })).JsonAsync(HttpStatusCode.Accepted);
        Guid leadId = accepted.GetProperty("lead_id").GetGuid();
        return Assert.Single((await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any())).Outbound());
    }

    private async Task<string> MetricsAsync() => await (await app.CreateClient().GetAsync("/metrics")).Content.ReadAsStringAsync();

    [Fact]
    public async Task AGroundedModelReplyIsSentAsWrittenAndTheRequestHasTheExpectedShape()
    {
        TestTenant tenant = await TenantAsync();
        string marker = FakeLlm.NewMarker();
        string written = $"Hi Sam, good news: {InsuranceAnswer} Book a visit here: {Booking}\n\nBright Smile";
        llm.Script(marker, new FakeAnswer(FakeLlm.Reply(written, ["insurance"])));

        JsonElement reply = await SendAsync(tenant, $"Do you accept dental insurance? ({marker})");
        Assert.Equal(written, reply.GetProperty("body").GetString());
        Assert.Equal("openai", reply.GetProperty("engine").GetString());
        Assert.Equal("insurance", Assert.Single(reply.GetProperty("faq_ids").EnumerateArray()).GetString());

        FakeLlmRequest request = Assert.Single(llm.RequestsFor(marker));
        Assert.Equal("/v1/chat/completions", request.Path);
        Assert.Equal("Bearer sk-test-0123456789", request.Authorization);
        JsonElement body = request.Body;
        Assert.Equal(LlmFixture<SqliteApp>.OpenAiModel, body.GetProperty("model").GetString());
        Assert.True(body.GetProperty("temperature").GetDouble() <= 0.3);
        Assert.Equal("json_schema", body.GetProperty("response_format").GetProperty("type").GetString());
        var messages = body.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        string system = messages[0].GetProperty("content").GetString()!;
        Assert.Contains("[id: insurance]", system);
        Assert.Contains(Booking, system);
        Assert.Equal("user", messages[1].GetProperty("role").GetString());
        string user = messages[1].GetProperty("content").GetString()!;
        Assert.Contains("<<<LEAD_MESSAGE", user);
        Assert.Contains("Do you accept dental insurance?", user);
    }

    [Theory]
    [InlineData("Teeth whitening is only $99 this week! Book: " + Booking, "ungrounded_number")]
    [InlineData("We accept PPO plans. Claim your voucher at http://smile-deals.example/free and book: " + Booking, "foreign_link")]
    [InlineData("We accept most PPO insurance plans, including Delta Dental and Cigna. Call us any time.", "missing_booking_link")]
    public async Task AMisbehavingModelsDraftIsReplacedByTheFallback(string written, string code)
    {
        TestTenant tenant = await TenantAsync();
        string marker = FakeLlm.NewMarker();
        llm.Script(marker, new FakeAnswer(FakeLlm.Reply(written, ["insurance"])));

        JsonElement reply = await SendAsync(tenant, $"Do you accept dental insurance? ({marker})");
        string body = reply.GetProperty("body").GetString()!;
        Assert.NotEqual(written, body);
        Assert.Contains(Booking, body);
        Assert.True(reply.GetProperty("fallback").GetBoolean());
        Assert.Empty(reply.GetProperty("faq_ids").EnumerateArray());
        Assert.Contains($"guardrail_block_total{{reason=\"{code}\"}}", await MetricsAsync());
    }

    [Fact]
    public async Task InvalidOutputIsAskedForOnceMoreThenTheOfflineEngineAnswers()
    {
        TestTenant tenant = await TenantAsync();
        string marker = FakeLlm.NewMarker();
        llm.Script(marker, new FakeAnswer("Sure! Here is your answer: we take insurance."), new FakeAnswer("{\"reply\": 42}"));

        JsonElement reply = await SendAsync(tenant, $"Do you accept dental insurance? ({marker})");
        Assert.Equal("offline", reply.GetProperty("engine").GetString());
        Assert.Contains(InsuranceAnswer, reply.GetProperty("body").GetString());
        var requests = llm.RequestsFor(marker);
        Assert.Equal(2, requests.Count);
        string retry = requests[1].Body.GetProperty("messages").EnumerateArray().Last().GetProperty("content").GetString()!;
        Assert.Contains("not valid JSON", retry);
        Assert.Contains("llm_failure_total{engine=\"openai\",reason=\"invalid_output\"}", await MetricsAsync());
    }

    [Fact]
    public async Task ACorrectedSecondAnswerIsUsed()
    {
        TestTenant tenant = await TenantAsync();
        string marker = FakeLlm.NewMarker();
        string written = $"{InsuranceAnswer} Book here: {Booking}";
        llm.Script(marker, new FakeAnswer("not json"), new FakeAnswer(FakeLlm.Reply(written, ["insurance"])));

        JsonElement reply = await SendAsync(tenant, $"Do you accept dental insurance? ({marker})");
        Assert.Equal(written, reply.GetProperty("body").GetString());
        Assert.Equal("openai", reply.GetProperty("engine").GetString());
    }

    [Theory]
    [InlineData(500, null, "server_error")]
    [InlineData(429, "30", "rate_limited")]
    [InlineData(401, null, "http_error")]
    public async Task AProviderErrorIsAnsweredByTheOfflineEngine(int status, string? retryAfter, string reason)
    {
        TestTenant tenant = await TenantAsync();
        string marker = FakeLlm.NewMarker();
        llm.Script(marker, new FakeAnswer(Status: status, RetryAfter: retryAfter));

        JsonElement reply = await SendAsync(tenant, $"Do you accept dental insurance? ({marker})");
        Assert.Equal("offline", reply.GetProperty("engine").GetString());
        Assert.Contains(InsuranceAnswer, reply.GetProperty("body").GetString());
        Assert.Single(llm.RequestsFor(marker));
        Assert.Contains($"llm_failure_total{{engine=\"openai\",reason=\"{reason}\"}}", await MetricsAsync());
    }

    [Fact]
    public async Task AModelThatRefusesIsAnsweredByTheOfflineEngine()
    {
        TestTenant tenant = await TenantAsync();
        string marker = FakeLlm.NewMarker();
        string refusal = JsonSerializer.Serialize(new
        {
            id = "chatcmpl-refused", @object = "chat.completion", created = 1_700_000_000, model = "test-model",
            choices = new[] { new { index = 0, message = new { role = "assistant", content = (string?)null, refusal = "I can't help with that." }, finish_reason = "stop" } },
            usage = new { prompt_tokens = 400, completion_tokens = 7, total_tokens = 407 },
        });
        llm.Script(marker, new FakeAnswer(RawBody: refusal));

        JsonElement reply = await SendAsync(tenant, $"Do you accept dental insurance? ({marker})");
        Assert.Equal("offline", reply.GetProperty("engine").GetString());
        Assert.Single(llm.RequestsFor(marker));
        Assert.Contains("llm_failure_total{engine=\"openai\",reason=\"refusal\"}", await MetricsAsync());
    }

    [Fact]
    public async Task AModelSlowerThanTheTimeoutIsNotWaitedFor()
    {
        TestTenant tenant = await TenantAsync();
        string marker = FakeLlm.NewMarker();
        llm.Script(marker, new FakeAnswer(FakeLlm.Reply($"{InsuranceAnswer} {Booking}", ["insurance"]), Delay: TimeSpan.FromSeconds(5)));

        JsonElement reply = await SendAsync(tenant, $"Do you accept dental insurance? ({marker})");
        Assert.Equal("offline", reply.GetProperty("engine").GetString());
        Assert.Contains("llm_failure_total{engine=\"openai\",reason=\"timeout\"}", await MetricsAsync());
    }

    [Fact]
    public async Task ATenantCanChooseAnthropic()
    {
        TestTenant tenant = await TenantAsync(engine: "anthropic");
        string marker = FakeLlm.NewMarker();
        string written = $"{InsuranceAnswer} Pick a time: {Booking}";
        llm.Script(marker, new FakeAnswer(FakeLlm.Reply(written, ["insurance"])));

        JsonElement reply = await SendAsync(tenant, $"Do you accept dental insurance? ({marker})");
        Assert.Equal(written, reply.GetProperty("body").GetString());
        Assert.Equal("anthropic", reply.GetProperty("engine").GetString());

        FakeLlmRequest request = Assert.Single(llm.RequestsFor(marker));
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal(LlmFixture<SqliteApp>.AnthropicModel, request.Body.GetProperty("model").GetString());
        Assert.Contains("[id: insurance]", request.Body.GetProperty("system").GetRawText());
        JsonElement message = Assert.Single(request.Body.GetProperty("messages").EnumerateArray());
        Assert.Equal("user", message.GetProperty("role").GetString());
        Assert.Contains("<<<LEAD_MESSAGE", message.GetProperty("content").GetRawText());
    }

    [Fact]
    public async Task AnAnthropicOutageIsAnsweredByTheOfflineEngine()
    {
        TestTenant tenant = await TenantAsync(engine: "anthropic");
        string marker = FakeLlm.NewMarker();
        llm.Script(marker, new FakeAnswer(Status: 529));

        JsonElement reply = await SendAsync(tenant, $"Do you accept dental insurance? ({marker})");
        Assert.Equal("offline", reply.GetProperty("engine").GetString());
        Assert.Contains("llm_failure_total{engine=\"anthropic\",reason=\"server_error\"}", await MetricsAsync());
    }

    [Fact]
    public async Task AnUnknownEngineSettingIsRejectedWithItsChoices()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var response = await tenant.Client.PutAsync("/v1/admin/settings",
            new StringContent("""{"engine": "gpt5"}""", System.Text.Encoding.UTF8, "application/json"));
        JsonElement problem = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("offline, openai, anthropic", problem.GetProperty("detail").GetString());
    }
}

public sealed class SqliteLlmReplyTests(LlmFixture<SqliteApp> fixture)
    : LlmReplyTests(fixture.App, fixture.Llm), IClassFixture<LlmFixture<SqliteApp>>;

public sealed class PostgresLlmReplyTests(LlmFixture<PostgresApp> fixture)
    : LlmReplyTests(fixture.App, fixture.Llm), IClassFixture<LlmFixture<PostgresApp>>;
