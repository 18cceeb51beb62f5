using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Leadline.Tests.Infrastructure;

/// <summary>
/// The real application over HTTP (in-memory server) on a real database. One per test class and database;
/// each test makes its own tenant, so tests never depend on each other.
/// </summary>
public abstract class LeadlineApp : WebApplicationFactory<Program>
{
    public const string OperatorToken = "test-operator-token-0123456789";

    private readonly Dictionary<string, string?> _settings = new();
    private readonly List<Action<IServiceCollection>> _services = [];

    protected LeadlineApp(string dbUrl)
    {
        DbUrl = dbUrl;
        _settings["DB_URL"] = dbUrl;
        _settings["ADMIN_BEARER_TOKEN"] = OperatorToken;
        _settings["JOB_BACKOFF_MS"] = "50";
        _settings["JOB_POLL_MS"] = "250";
        _settings["LOG_LEVEL"] = "WARNING";
    }

    public string DbUrl { get; }

    public abstract string Dialect { get; }

    /// <summary>Adds settings (environment variable names) before the app starts.</summary>
    public LeadlineApp With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Replaces or adds services (test job handlers, fake clocks) before the app starts.</summary>
    public LeadlineApp WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Test");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services =>
        {
            foreach (var configure in _services)
            {
                configure(services);
            }
        });
    }

    public HttpClient Operator()
    {
        HttpClient client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        return client;
    }

    /// <summary>Creates a tenant through the API and returns a client authenticated with its key.</summary>
    public async Task<TestTenant> CreateTenantAsync(object? extra = null)
    {
        string slug = "t-" + Guid.NewGuid().ToString("N")[..12];
        var body = new Dictionary<string, object?> { ["name"] = "Test " + slug, ["slug"] = slug };
        if (extra is not null)
        {
            foreach (var p in JsonSerializer.SerializeToElement(extra, TestJson.Options).EnumerateObject())
            {
                body[p.Name] = p.Value;
            }
        }
        using HttpClient op = Operator();
        HttpResponseMessage response = await op.PostAsJsonAsync("/v1/tenants", body, TestJson.Options);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"creating a tenant failed: {(int)response.StatusCode} {text}");
        JsonElement created = JsonDocument.Parse(text).RootElement;
        HttpClient client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.GetProperty("api_key").GetString());
        return new TestTenant(created.GetProperty("id").GetGuid(), slug, created.GetProperty("api_key").GetString()!, client);
    }
}

public sealed record TestTenant(Guid Id, string Slug, string ApiKey, HttpClient Client);

public sealed class SqliteApp() : LeadlineApp(TestDatabases.NewSqliteUrl())
{
    public override string Dialect => "sqlite";
}

public sealed class PostgresApp() : LeadlineApp(TestDatabases.NewPostgresUrl())
{
    public override string Dialect => "postgres";
}

public static class TestJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
