using System.Net;
using System.Net.Http.Json;
using Leadline.Knowledge;
using Leadline.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Knowledge;

public abstract class FaqSearchTests(LeadlineApp app)
{
    public static readonly TheoryData<string> Messages = new()
    {
        "Hi, what time do you open on Saturdays?",
        "What do you charge for a cleaning? And is whitening expensive?",
        "Do you take Cigna insurance?",
        "Where are you located? Is there parking?",
        "I have severe tooth pain, do you handle emergencies?",
        "Can my kids come too?",
        "كم تكلفة تنظيف الأسنان عندكم؟",
        "Do you sell electric scooters?",
        "AND OR NOT \"quote\" * ( ) : NEAR' -- drop table faqs;",
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public async Task TheIndexFindsWhatTheReScoreRanksOnEitherDatabase(string message)
    {
        TestTenant tenant = await app.CreateTenantAsync();
        await (await tenant.Client.PostJsonAsync("/v1/admin/faqs/import", SampleFaqs.Items)).JsonAsync(HttpStatusCode.OK);
        var search = app.Services.GetRequiredService<FaqSearch>();

        var found = await search.SearchAsync(tenant.Id, message);

        // The same ranking as scoring every FAQ in memory: the index missed nothing the re-score would match.
        var faqs = SampleFaqs.AsFaqs();
        var expected = FaqScorer.Rank(message, faqs, faqs.Count);
        Assert.Equal(expected.Select(m => (m.Faq.Reference, m.Confidence)), found.Select(m => (m.Faq.Reference, m.Confidence)));
    }

    [Fact]
    public async Task OnlyTheTenantsOwnFaqsAreFound()
    {
        TestTenant owner = await app.CreateTenantAsync();
        TestTenant other = await app.CreateTenantAsync();
        await (await owner.Client.PostJsonAsync("/v1/admin/faqs/import", SampleFaqs.Items)).JsonAsync(HttpStatusCode.OK);
        var search = app.Services.GetRequiredService<FaqSearch>();

        Assert.NotEmpty(await search.SearchAsync(owner.Id, "How much is whitening?"));
        Assert.Empty(await search.SearchAsync(other.Id, "How much is whitening?"));
        Assert.Empty(await search.SearchAsync(other.Id, "كم تكلفة تنظيف الأسنان؟"));
    }

    [Fact]
    public async Task AnUpdatedAnswerIsSearchedAtOnce()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        await (await tenant.Client.PostJsonAsync("/v1/admin/faqs", new { question = "Do you sell gift cards?", answer = "Yes.", external_id = "gifts" }))
            .JsonAsync(HttpStatusCode.Created);
        var search = app.Services.GetRequiredService<FaqSearch>();
        Assert.Empty(await search.SearchAsync(tenant.Id, "vouchers"));

        await (await tenant.Client.PutAsJsonAsync("/v1/admin/faqs/gifts", new { answer = "Yes, as printed vouchers." })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("gifts", Assert.Single(await search.SearchAsync(tenant.Id, "vouchers")).Faq.Reference);
    }
}

public sealed class SqliteFaqSearchTests(SqliteApp app) : FaqSearchTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresFaqSearchTests(PostgresApp app) : FaqSearchTests(app), IClassFixture<PostgresApp>;
