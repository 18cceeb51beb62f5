using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Knowledge;

public abstract class FaqsApiTests(LeadlineApp app)
{
    private static object Faq(string question = "Do you offer gift cards?", string answer = "Yes, in any amount from $25.", string? externalId = null) =>
        new { question, answer, tags = new[] { "gifts" }, external_id = externalId };

    [Fact]
    public async Task AFaqCanBeCreatedReadListedUpdatedAndDeleted()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        HttpClient client = tenant.Client;

        var createdResponse = await client.PostJsonAsync("/v1/admin/faqs", new
        {
            question = " Do you offer gift cards? ",
            answer = "Yes, in any amount from $25.",
            tags = new[] { "gifts" },
            translations = new Dictionary<string, object> { ["ar"] = new { question = "هل لديكم بطاقات هدايا؟", answer = "نعم، بأي مبلغ من 25 دولاراً." } },
            external_id = "gift_cards",
        });
        JsonElement created = await createdResponse.JsonAsync(HttpStatusCode.Created);
        string id = created.GetProperty("id").GetString()!;
        Assert.Equal($"/v1/admin/faqs/{id}", createdResponse.Headers.Location?.OriginalString);
        Assert.Equal("Do you offer gift cards?", created.GetProperty("question").GetString());
        Assert.Equal("gift_cards", created.GetProperty("external_id").GetString());
        Assert.Equal(2, created.GetProperty("config_version").GetInt32());

        JsonElement read = await (await client.GetAsync($"/v1/admin/faqs/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("نعم، بأي مبلغ من 25 دولاراً.", read.GetProperty("translations").GetProperty("ar").GetProperty("answer").GetString());
        JsonElement byExternalId = await (await client.GetAsync("/v1/admin/faqs/gift_cards")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, byExternalId.GetProperty("id").GetString());

        JsonElement updated = await (await client.PutAsJsonAsync($"/v1/admin/faqs/{id}", new { answer = "Yes, from $30." }, TestJson.Options))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Yes, from $30.", updated.GetProperty("answer").GetString());
        Assert.Equal("Do you offer gift cards?", updated.GetProperty("question").GetString());
        Assert.Equal("gifts", updated.GetProperty("tags")[0].GetString());
        Assert.Equal(3, updated.GetProperty("config_version").GetInt32());

        JsonElement list = await (await client.GetAsync("/v1/admin/faqs")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, list.GetProperty("config_version").GetInt32());
        Assert.Equal("Yes, from $30.", Assert.Single(list.GetProperty("faqs").EnumerateArray()).GetProperty("answer").GetString());

        JsonElement deleted = await (await client.DeleteAsync($"/v1/admin/faqs/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(4, deleted.GetProperty("config_version").GetInt32());
        await (await client.GetAsync($"/v1/admin/faqs/{id}")).JsonAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await client.GetAsync("/v1/admin/faqs")).JsonAsync(HttpStatusCode.OK)).GetProperty("faqs").EnumerateArray());
    }

    [Fact]
    public async Task InvalidFieldsAreEachNamedInA422Problem()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var response = await tenant.Client.PostJsonAsync("/v1/admin/faqs", new
        {
            question = "   ",
            tags = new[] { "ok", "" },
            translations = new Dictionary<string, object> { ["arabic"] = new { question = "q", answer = "a" }, ["ar"] = new { question = "س" } },
            external_id = "has spaces",
        });
        JsonElement problem = await response.JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        JsonElement errors = problem.GetProperty("errors");
        foreach (string field in new[] { "question", "answer", "tags[1]", "translations.arabic", "translations.ar.answer", "external_id" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }
        Assert.Empty((await (await tenant.Client.GetAsync("/v1/admin/faqs")).JsonAsync(HttpStatusCode.OK)).GetProperty("faqs").EnumerateArray());

        var tooLong = await tenant.Client.PostJsonAsync("/v1/admin/faqs", Faq(answer: new string('a', 2001)));
        Assert.Contains("2000", (await tooLong.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors").GetProperty("answer")[0].GetString());
    }

    [Fact]
    public async Task AnotherTenantsFaqIsNotFound()
    {
        TestTenant owner = await app.CreateTenantAsync();
        TestTenant other = await app.CreateTenantAsync();
        string id = (await (await owner.Client.PostJsonAsync("/v1/admin/faqs", Faq(externalId: "gifts"))).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetString()!;

        foreach (string target in new[] { id, "gifts" })
        {
            await (await other.Client.GetAsync($"/v1/admin/faqs/{target}")).JsonAsync(HttpStatusCode.NotFound);
            await (await other.Client.PutAsJsonAsync($"/v1/admin/faqs/{target}", new { answer = "hijacked" }, TestJson.Options)).JsonAsync(HttpStatusCode.NotFound);
            await (await other.Client.DeleteAsync($"/v1/admin/faqs/{target}")).JsonAsync(HttpStatusCode.NotFound);
        }
        Assert.Empty((await (await other.Client.GetAsync("/v1/admin/faqs")).JsonAsync(HttpStatusCode.OK)).GetProperty("faqs").EnumerateArray());
        JsonElement mine = await (await owner.Client.GetAsync($"/v1/admin/faqs/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Yes, in any amount from $25.", mine.GetProperty("answer").GetString());
    }

    [Fact]
    public async Task AnExternalIdIsUniqueWithinATenantOnly()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        TestTenant other = await app.CreateTenantAsync();
        await (await tenant.Client.PostJsonAsync("/v1/admin/faqs", Faq(externalId: "gifts"))).JsonAsync(HttpStatusCode.Created);
        JsonElement second = await (await tenant.Client.PostJsonAsync("/v1/admin/faqs", Faq("Another?", "Yes.", "other"))).JsonAsync(HttpStatusCode.Created);

        JsonElement conflict = await (await tenant.Client.PostJsonAsync("/v1/admin/faqs", Faq(externalId: "gifts"))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Contains("gifts", conflict.GetProperty("detail").GetString());
        await (await tenant.Client.PutAsJsonAsync($"/v1/admin/faqs/{second.GetProperty("id").GetString()}", new { external_id = "gifts" }))
            .JsonAsync(HttpStatusCode.Conflict);
        await (await other.Client.PostJsonAsync("/v1/admin/faqs", Faq(externalId: "gifts"))).JsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AnImportCreatesAndUpdatesFaqsInOneConfigVersion()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        // The shape of a tenant file: "id" is the tenant's own id for the FAQ.
        var first = await (await tenant.Client.PostJsonAsync("/v1/admin/faqs/import", new object[]
        {
            new { id = "hours", question = "When are you open?", answer = "Weekdays 9-5." },
            new { id = "parking", question = "Is there parking?", answer = "Yes, free." },
        })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, first.GetProperty("created").GetInt32());
        Assert.Equal(2, first.GetProperty("config_version").GetInt32());

        var second = await (await tenant.Client.PostJsonAsync("/v1/admin/faqs:import", new
        {
            faqs = new object[]
            {
                new { external_id = "hours", question = "When are you open?", answer = "Weekdays 8-6." },
                new { external_id = "pets", question = "Are dogs allowed?", answer = "Yes." },
            },
            replace = true,
        })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((1, 1, 1), (second.GetProperty("created").GetInt32(), second.GetProperty("updated").GetInt32(), second.GetProperty("deleted").GetInt32()));
        Assert.Equal(3, second.GetProperty("config_version").GetInt32());

        JsonElement list = await (await tenant.Client.GetAsync("/v1/admin/faqs")).JsonAsync(HttpStatusCode.OK);
        var byId = list.GetProperty("faqs").EnumerateArray().ToDictionary(f => f.GetProperty("external_id").GetString()!, f => f.GetProperty("answer").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["hours"] = "Weekdays 8-6.", ["pets"] = "Yes." }, byId);
    }

    [Fact]
    public async Task AnImportWithOneBadItemChangesNothing()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var response = await tenant.Client.PostJsonAsync("/v1/admin/faqs/import", new object[]
        {
            new { external_id = "ok", question = "Fine?", answer = "Yes." },
            new { external_id = "bad", question = "No answer?" },
            new { external_id = "ok", question = "Twice?", answer = "Yes." },
        });
        JsonElement errors = (await response.JsonAsync(HttpStatusCode.UnprocessableEntity)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("faqs[1].answer", out _));
        Assert.True(errors.TryGetProperty("faqs[2].external_id", out _));
        JsonElement list = await (await tenant.Client.GetAsync("/v1/admin/faqs")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(list.GetProperty("faqs").EnumerateArray());
        Assert.Equal(1, list.GetProperty("config_version").GetInt32());
    }
}

public sealed class SqliteFaqsApiTests(SqliteApp app) : FaqsApiTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresFaqsApiTests(PostgresApp app) : FaqsApiTests(app), IClassFixture<PostgresApp>;
