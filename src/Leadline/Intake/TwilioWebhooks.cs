using Dapper;
using Leadline.Data;
using Leadline.Delivery;
using Leadline.Hosting;
using Leadline.Observability;
using Leadline.Tenants;
using Microsoft.Extensions.Primitives;

namespace Leadline.Intake;

/// <summary>
/// Twilio's webhooks (PRODUCT.md 2.1, seed 001 paths): inbound SMS and WhatsApp messages, and message status
/// callbacks. Each request must carry a valid <c>X-Twilio-Signature</c> for the tenant's auth token over the public
/// URL (<c>PUBLIC_BASE_URL</c>, else the request's own, proxy headers included); otherwise it is 403 and nothing is
/// stored. The tenant is named by <c>?tenant=slug</c> in the webhook URL (signed with it), else <c>default</c>.
/// Inbound messages are idempotent on MessageSid and answered with empty TwiML: the reply goes out through the queue.
/// </summary>
public static class TwilioWebhooks
{
    public const string EmptyTwiml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>";

    public static IEndpointRouteBuilder MapTwilioWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/sms/inbound", (HttpContext http, CancellationToken ct) => InboundAsync(http, "sms", ct))
            .WithTags("Webhooks").WithName("TwilioSmsInbound").ExcludeFromDescription();
        app.MapPost("/webhooks/whatsapp/inbound", (HttpContext http, CancellationToken ct) => InboundAsync(http, "whatsapp", ct))
            .WithTags("Webhooks").WithName("TwilioWhatsAppInbound").ExcludeFromDescription();
        app.MapPost("/webhooks/twilio/status", StatusAsync)
            .WithTags("Webhooks").WithName("TwilioStatusCallback").ExcludeFromDescription();
        return app;
    }

    /// <summary>A signed Twilio form post for a known tenant, or the error response to send instead.</summary>
    internal sealed record Signed(Tenant Tenant, IFormCollection Form);

    /// <summary>Used by every Twilio webhook (messages, status, voice): the tenant, its account, and the signature.</summary>
    internal static async Task<(Signed? Request, IResult? Error)> VerifyAsync(HttpContext http, CancellationToken ct)
    {
        HttpRequest request = http.Request;
        var services = http.RequestServices;
        if (!request.HasFormContentType)
        {
            return (null, Problems.Status(415, "Unsupported media type",
                "Twilio webhooks are form posts ('Content-Type: application/x-www-form-urlencoded')."));
        }
        string slug = request.Query["tenant"].FirstOrDefault() is { Length: > 0 } s ? s : "default";
        Tenant? tenant = await services.GetRequiredService<TenantStore>().FindBySlugAsync(slug, ct);
        if (tenant is null)
        {
            return (null, Problems.Status(404, "Unknown tenant",
                $"No tenant '{slug}'. Point the Twilio webhook at this URL with ?tenant=<slug> of an existing tenant."));
        }
        TwilioAccount? account = services.GetRequiredService<TwilioAccounts>().For(tenant);
        if (account is null)
        {
            return (null, Problems.Status(403, "Twilio not configured",
                $"Tenant '{tenant.Slug}' has no usable Twilio account, so a Twilio signature cannot be checked; set its own with PUT /v1/admin/credentials/twilio, or TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN for the instance."));
        }

        IFormCollection form = await request.ReadFormAsync(ct);
        string url = PublicUrl(request, services.GetRequiredService<IntakeOptions>().PublicBaseUrl);
        var parameters = form.Select(p => new KeyValuePair<string, IReadOnlyList<string>>(p.Key, p.Value.Select(v => v ?? "").ToList()));
        if (!TwilioSignature.IsValid(account.AuthToken, request.Headers["X-Twilio-Signature"].FirstOrDefault(), url, parameters))
        {
            services.GetRequiredService<Metrics>().Increment("webhook_rejected_total", ("source", "twilio"), ("reason", "signature"));
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TwilioWebhooks)).LogWarning(
                "Rejected a Twilio webhook for tenant {Tenant}: the X-Twilio-Signature does not match {Url}", tenant.Slug, url);
            return (null, Problems.Status(403, "Invalid signature",
                "The X-Twilio-Signature header does not match this request. If Leadline runs behind a proxy, set PUBLIC_BASE_URL to the URL Twilio calls."));
        }
        return (new Signed(tenant, form), null);
    }

    /// <summary>The URL Twilio called: PUBLIC_BASE_URL with the request's path and query, else the request's own URL.</summary>
    public static string PublicUrl(HttpRequest request, Uri? publicBaseUrl)
    {
        string pathAndQuery = request.PathBase + request.Path + request.QueryString;
        if (publicBaseUrl is { } baseUrl)
        {
            return baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + pathAndQuery;
        }
        string scheme = First(request.Headers["X-Forwarded-Proto"]) ?? request.Scheme;
        string host = First(request.Headers["X-Forwarded-Host"]) ?? request.Host.Value ?? "localhost";
        return $"{scheme}://{host}{pathAndQuery}";
    }

    private static string? First(StringValues header) =>
        header.FirstOrDefault()?.Split(',')[0].Trim() is { Length: > 0 } value ? value : null;

    private static async Task<IResult> InboundAsync(HttpContext http, string channel, CancellationToken ct)
    {
        var (signed, error) = await VerifyAsync(http, ct);
        if (error is not null)
        {
            return error;
        }
        var (tenant, form) = signed!;
        if (IntakeApi.Paused(tenant) is { } paused)
        {
            return paused;
        }

        string? sid = form["MessageSid"].FirstOrDefault() ?? form["SmsMessageSid"].FirstOrDefault()
            ?? http.Request.Headers["I-Twilio-Idempotency-Token"].FirstOrDefault();
        string? from = StripPrefix(form["From"].FirstOrDefault());
        string? phone = from is null ? null : Phones.ToE164(from, tenant.Settings.DefaultCountry);
        if (sid is null || phone is null)
        {
            return Problems.Status(400, "Not a Twilio message",
                "The form needs MessageSid and a From phone number, as Twilio sends for an incoming message.");
        }
        string body = form["Body"].FirstOrDefault()?.Trim() ?? "";
        if (body.Length == 0)
        {
            int media = int.TryParse(form["NumMedia"].FirstOrDefault(), out int n) ? n : 0;
            body = media > 0 ? $"(sent {media} attachment{(media == 1 ? "" : "s")} without text)" : "(empty message)";
        }
        string? name = form["ProfileName"].FirstOrDefault()?.Trim();
        string[] names = string.IsNullOrEmpty(name) ? [] : name.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        // After the signature check: a forged request must not use up a real sender's slots.
        IntakeRateLimit limits = http.RequestServices.GetRequiredService<IntakeRateLimit>();
        var (slot, refused) = await limits.AdmitAsync(tenant, channel, phone, "twilio-" + channel, sid, ct);
        if (refused is not null)
        {
            return refused;
        }

        IntakeResult result = await http.RequestServices.GetRequiredService<IntakeService>().AcceptAsync(tenant, new InboundMessage
        {
            Channel = channel,
            Source = "twilio-" + channel,
            ExternalId = sid,
            Phone = phone,
            FirstName = names.ElementAtOrDefault(0),
            LastName = names.ElementAtOrDefault(1),
            Body = body.Length > 10_000 ? body[..10_000] : body,
            LeadSource = channel,
            ProviderMessageId = sid,
            SourceIp = http.Connection.RemoteIpAddress?.ToString(),
        }, ct);
        limits.Settle(slot, result);
        return Results.Text(EmptyTwiml, "text/xml");
    }

    private static string? StripPrefix(string? address) =>
        address is null ? null : Phones.WithoutWhatsAppPrefix(address).Number;

    /// <summary>How far along a status is; a callback only ever moves a message forward.</summary>
    public static int Rank(string status) => status switch
    {
        "queued" or "accepted" or "scheduled" => 1,
        "sending" => 2,
        "sent" => 3,
        "delivered" or "read" or "undelivered" or "failed" => 4,
        _ => 0,
    };

    private sealed record SentMessage(Guid Id, Guid LeadId, string Status);

    private static async Task<IResult> StatusAsync(HttpContext http, Db db, TimeProvider clock, CancellationToken ct)
    {
        var (signed, error) = await VerifyAsync(http, ct);
        if (error is not null)
        {
            return error;
        }
        var (tenant, form) = signed!;
        string? sid = form["MessageSid"].FirstOrDefault() ?? form["SmsSid"].FirstOrDefault();
        string? reported = (form["MessageStatus"].FirstOrDefault() ?? form["SmsStatus"].FirstOrDefault())?.ToLowerInvariant();
        if (sid is null || reported is null || Rank(reported) == 0)
        {
            return Problems.Status(400, "Not a status callback", "The form needs MessageSid and a MessageStatus such as sent or delivered.");
        }
        // "read" (WhatsApp) is delivered and seen; the message keeps "delivered".
        string status = reported == "read" ? "delivered" : reported;
        string? errorCode = form["ErrorCode"].FirstOrDefault();
        long now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.InTransactionAsync(async tx =>
        {
            var message = await tx.QuerySingleOrDefaultAsync<SentMessage>(
                "SELECT id, lead_id AS LeadId, status FROM messages WHERE tenant_id = @TenantId AND provider_message_id = @sid AND direction = 'out'",
                new { TenantId = tenant.Id, sid });
            if (message is null || Rank(status) <= Rank(message.Status))
            {
                return;
            }
            await tx.ExecuteAsync("""
                UPDATE messages SET status = @status, last_error = COALESCE(@problem, last_error) WHERE id = @Id AND tenant_id = @TenantId
                """, new { status, problem = errorCode is null ? null : $"Twilio error {errorCode}", message.Id, TenantId = tenant.Id });
            await Audit.RecordAsync(tx, tenant.Id, message.LeadId, "send.status", new
            {
                message_id = message.Id,
                provider_message_id = sid,
                status = reported,
                error_code = errorCode,
            }, now, tenant.ConfigVersion);
        }, ct);
        return Results.Text(EmptyTwiml, "text/xml");
    }
}
