using System.Net;
using System.Text.Json;
using Leadline.Tests.Infrastructure;

namespace Leadline.Tests.Conversations;

public abstract class ConversationsApiTests(LeadlineApp app)
{
    private static async Task<(Guid LeadId, Guid ConversationId)> NewLeadAsync(TestTenant tenant, string message = "Do you service my area?")
    {
        var body = await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", new
        {
            event_id = Guid.NewGuid().ToString(),
            email = $"c{Guid.NewGuid():N}@example.com",
            subject = "Question",
            message,
        })).JsonAsync(HttpStatusCode.Accepted);
        Guid leadId = body.GetProperty("lead_id").GetGuid();
        await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m => m.GetProperty("status").GetString() == "sent"));
        return (leadId, body.GetProperty("conversation_id").GetGuid());
    }

    [Fact]
    public async Task AConversationShowsItsMessagesInOrder()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var (leadId, conversationId) = await NewLeadAsync(tenant);
        var conversation = await (await tenant.Client.GetAsync($"/v1/conversations/{conversationId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(leadId, conversation.GetProperty("lead_id").GetGuid());
        Assert.False(conversation.GetProperty("escalated").GetBoolean());
        var directions = conversation.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("direction").GetString()).ToList();
        Assert.Equal(["in", "out"], directions);

        var messages = await (await tenant.Client.GetAsync($"/v1/conversations/{conversationId}/messages")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, messages.GetArrayLength());
    }

    [Fact]
    public async Task AnEscalatedConversationGetsNoBotRepliesUntilAHumanAnswers()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var (leadId, conversationId) = await NewLeadAsync(tenant);
        var escalated = await (await tenant.Client.PostJsonAsync($"/v1/conversations/{conversationId}/escalate", new { reason = "VIP" })).JsonAsync(HttpStatusCode.OK);
        Assert.True(escalated.GetProperty("changed").GetBoolean());
        var lead = await (await tenant.Client.GetAsync($"/v1/leads/{leadId}")).JsonAsync(HttpStatusCode.OK);
        Assert.True(lead.GetProperty("escalated").GetBoolean());

        // The lead writes again (same contact, same channel): the message joins the conversation, the bot stays quiet.
        string email = lead.GetProperty("email").GetString()!;
        await (await tenant.Client.PostJsonAsync("/v1/intake/webhook", new { event_id = Guid.NewGuid().ToString(), email, message = "Hello? Anyone?" }))
            .JsonAsync(HttpStatusCode.Accepted);
        await Task.Delay(500);
        var quiet = await (await tenant.Client.GetAsync($"/v1/conversations/{conversationId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, quiet.GetProperty("messages").GetArrayLength());
        Assert.Single(quiet.GetProperty("messages").EnumerateArray(), m => m.GetProperty("author").GetString() == "bot");

        var human = await (await tenant.Client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { body = "Hi, this is Dana. Yes we do!", author_name = "Dana" }))
            .JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("human", human.GetProperty("author").GetString());
        JsonElement after = await tenant.Client.WaitForLeadAsync(leadId, l => l.Outbound().Any(m =>
            m.GetProperty("author").GetString() == "human" && m.GetProperty("status").GetString() == "sent"));
        Assert.Contains(after.Outbound(), m => m.GetProperty("author").GetString() == "human" && m.GetProperty("status").GetString() == "sent");
        Assert.False(after.GetProperty("escalated").GetBoolean());
    }

    [Fact]
    public async Task ResumeBotLiftsTheEscalation()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        var (leadId, conversationId) = await NewLeadAsync(tenant);
        await (await tenant.Client.PostAsync($"/v1/conversations/{conversationId}/escalate", null)).JsonAsync(HttpStatusCode.OK);
        var resumed = await (await tenant.Client.PostAsync($"/v1/conversations/{conversationId}/resume-bot", null)).JsonAsync(HttpStatusCode.OK);
        Assert.True(resumed.GetProperty("changed").GetBoolean());
        var lead = await (await tenant.Client.GetAsync($"/v1/leads/{leadId}")).JsonAsync(HttpStatusCode.OK);
        Assert.False(lead.GetProperty("escalated").GetBoolean());
    }

    [Fact]
    public async Task AnEmptyHumanReplyIsRejectedAndAnotherTenantsConversationIsNotFound()
    {
        TestTenant tenant = await app.CreateTenantAsync();
        TestTenant other = await app.CreateTenantAsync();
        var (_, conversationId) = await NewLeadAsync(tenant);
        var problem = await (await tenant.Client.PostJsonAsync($"/v1/conversations/{conversationId}/messages", new { body = "  " }))
            .JsonAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(problem.GetProperty("errors").TryGetProperty("body", out _));
        await (await other.Client.GetAsync($"/v1/conversations/{conversationId}")).JsonAsync(HttpStatusCode.NotFound);
        await (await other.Client.PostAsync($"/v1/conversations/{conversationId}/escalate", null)).JsonAsync(HttpStatusCode.NotFound);
    }
}

public sealed class SqliteConversationsApiTests(SqliteApp app) : ConversationsApiTests(app), IClassFixture<SqliteApp>;

public sealed class PostgresConversationsApiTests(PostgresApp app) : ConversationsApiTests(app), IClassFixture<PostgresApp>;
