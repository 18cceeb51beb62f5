using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Mail.Mime;
using Leadline.Observability;
using Leadline.Tenants;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Leadline.Mail;

/// <summary>
/// SendGrid Inbound Parse (PRODUCT.md 2.1, inbound-parse webhook): SendGrid posts each mail to a tenant's domain as
/// multipart/form-data to <c>/webhooks/email/inbound/{secret}</c>, either parsed (from, to, subject, text, html,
/// headers, envelope, charsets, attachments) or, with "POST the raw, full MIME message" on, as the whole message in
/// <c>email</c>. The secret names the tenant (<see cref="InboundSecrets"/>); a wrong one is 404 and nothing is stored.
/// The mail then goes the way IMAP mail goes (<see cref="MailIntake"/>): the same lead, the same skips, idempotent on
/// the Message-ID, so SendGrid's retries and a copy also read over IMAP make one lead.
/// </summary>
public static class SendGridInbound
{
    /// <summary>The most a post may carry: SendGrid's own limit on a message is 30 MB.</summary>
    public const long MaxBytes = 40L * 1024 * 1024;

    public static IEndpointRouteBuilder MapSendGridInbound(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/email/inbound/{secret}", InboundAsync)
            .WithTags("Webhooks").WithName("SendGridInboundParse").ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> InboundAsync(string secret, HttpContext http, CancellationToken ct)
    {
        var services = http.RequestServices;
        Guid? tenantId = secret.Length is 0 or > 200 ? null : await services.GetRequiredService<InboundSecrets>().FindTenantAsync(secret, ct);
        Tenant? tenant = tenantId is Guid id ? await services.GetRequiredService<TenantStore>().FindAsync(id, ct) : null;
        if (tenant is null)
        {
            services.GetRequiredService<Metrics>().Increment("webhook_rejected_total", ("source", "sendgrid-inbound"), ("reason", "secret"));
            return Problems.Status(StatusCodes.Status404NotFound, "Unknown inbound address",
                "No tenant has this inbound-parse URL. Copy the URL from GET /v1/admin/mailbox (inbound_parse.url) into SendGrid's Inbound Parse settings.");
        }
        if (IntakeApi.Paused(tenant) is { } paused)
        {
            return paused;
        }
        if (!MediaTypeHeaderValue.TryParse(http.Request.ContentType, out MediaTypeHeaderValue? type)
            || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Problems.Status(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                "SendGrid Inbound Parse posts multipart/form-data; this request is something else.");
        }

        Dictionary<string, byte[]> fields;
        try
        {
            fields = await ReadFieldsAsync(http.Request.Body, boundary, ct);
        }
        catch (InvalidDataException e)
        {
            return Problems.Status(StatusCodes.Status400BadRequest, "Unreadable form", $"The multipart body cannot be read: {e.Message}");
        }

        byte[] raw = fields.TryGetValue("email", out byte[]? email) && email.Length > 0 ? email : Compose(fields);
        MimeMessage mail = MimeMessage.Parse(raw);
        string fallbackId = "sendgrid:" + Convert.ToHexStringLower(SHA256.HashData(raw))[..32];
        MailOutcome outcome = await services.GetRequiredService<MailIntake>().AcceptAsync(tenant, mail, fallbackId, "sendgrid", ct);
        // SendGrid retries anything but a 2xx for days; a mail that is not a lead is handled too, so it is a 200 as well.
        return TypedResults.Ok(new InboundParseResponse(outcome.Outcome, outcome.Result?.LeadId, outcome.Result?.ConversationId,
            outcome.Result?.MessageId, outcome.Reason));
    }

    /// <summary>The form's fields as bytes, by name; files (attachments) are read past and not kept.</summary>
    private static async Task<Dictionary<string, byte[]>> ReadFieldsAsync(Stream body, string boundary, CancellationToken ct)
    {
        var fields = new Dictionary<string, byte[]>(StringComparer.OrdinalIgnoreCase);
        var reader = new MultipartReader(boundary, body) { BodyLengthLimit = MaxBytes };
        long total = 0;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out ContentDispositionHeaderValue? disposition))
            {
                continue;
            }
            if (disposition.IsFileDisposition())
            {
                // Attachments are not kept: a lead's text is what is answered. The section is still read to its end.
                await section.Body.CopyToAsync(Stream.Null, ct);
                continue;
            }
            using var buffer = new MemoryStream();
            await section.Body.CopyToAsync(buffer, ct);
            total += buffer.Length;
            if (total > MaxBytes)
            {
                throw new InvalidDataException($"the fields are larger than {MaxBytes / (1024 * 1024)} MB");
            }
            string name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? "";
            fields.TryAdd(name, buffer.ToArray());
        }
        return fields;
    }

    /// <summary>
    /// Puts SendGrid's parsed fields back together as one MIME message, so that it is read exactly like mail from IMAP:
    /// the original headers (Message-ID, Auto-Submitted, In-Reply-To...) as SendGrid passed them, and the text and HTML
    /// decoded from the charsets SendGrid names, as UTF-8.
    /// </summary>
    internal static byte[] Compose(IReadOnlyDictionary<string, byte[]> fields)
    {
        Dictionary<string, string> charsets = ReadCharsets(fields);
        string? Field(string name) => fields.TryGetValue(name, out byte[]? bytes) ? Charsets.Decode(bytes, charsets.GetValueOrDefault(name)) : null;

        var message = new StringBuilder();
        if (Field("headers") is { Length: > 0 } headers)
        {
            // The body is rebuilt below, so the original's own MIME headers would describe something else.
            bool skipping = false;
            foreach (string line in headers.Replace("\r\n", "\n").Split('\n'))
            {
                if (line.Length == 0)
                {
                    continue;
                }
                bool continuation = line[0] is ' ' or '\t';
                if (!continuation)
                {
                    string name = line.Split(':', 2)[0].Trim();
                    skipping = name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
                        || name.Equals("Content-Transfer-Encoding", StringComparison.OrdinalIgnoreCase)
                        || name.Equals("MIME-Version", StringComparison.OrdinalIgnoreCase);
                }
                if (!skipping)
                {
                    message.Append(line).Append("\r\n");
                }
            }
        }
        else
        {
            foreach (string name in new[] { "From", "To", "Subject" })
            {
                if (Field(name.ToLowerInvariant()) is { Length: > 0 } value)
                {
                    string clean = value.ReplaceLineEndings(" ");
                    string encoded = clean.All(char.IsAscii) ? clean : string.Join(" ", Delivery.EmailComposer.EncodedWords(clean));
                    message.Append(name).Append(": ").Append(encoded).Append("\r\n");
                }
            }
        }
        message.Append("MIME-Version: 1.0\r\n");

        string? text = Field("text");
        string? html = Field("html");
        if (text is not null && html is not null)
        {
            string boundary = "leadline-" + Guid.NewGuid().ToString("N");
            message.Append($"Content-Type: multipart/alternative; boundary=\"{boundary}\"\r\n\r\n");
            Part(message.Append($"--{boundary}\r\n"), "plain", text);
            Part(message.Append($"--{boundary}\r\n"), "html", html);
            message.Append($"--{boundary}--\r\n");
        }
        else
        {
            Part(message, html is not null ? "html" : "plain", html ?? text ?? "");
        }
        return Encoding.UTF8.GetBytes(message.ToString());
    }

    private static void Part(StringBuilder message, string subtype, string content)
    {
        message.Append($"Content-Type: text/{subtype}; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n");
        string base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(content));
        for (int i = 0; i < base64.Length; i += 76)
        {
            message.Append(base64.AsSpan(i, Math.Min(76, base64.Length - i))).Append("\r\n");
        }
    }

    /// <summary>SendGrid's "charsets" field: {"text":"iso-8859-1","subject":"UTF-8",...}; fields it does not name are guessed.</summary>
    private static Dictionary<string, string> ReadCharsets(IReadOnlyDictionary<string, byte[]> fields)
    {
        var charsets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!fields.TryGetValue("charsets", out byte[]? json))
        {
            return charsets;
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (JsonProperty property in document.RootElement.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() is { Length: > 0 } charset)
                    {
                        charsets[property.Name] = charset;
                    }
                }
            }
        }
        catch (JsonException)
        {
            // A broken charsets field leaves every field to be guessed (UTF-8, else Windows-1252), as for plain mail.
        }
        return charsets;
    }
}

/// <summary>What became of the posted mail: <c>accepted</c>, <c>duplicate</c>, <c>suppressed</c> or <c>skipped</c> (with the reason).</summary>
public sealed record InboundParseResponse(string Status, Guid? LeadId, Guid? ConversationId, Guid? MessageId, string? Reason);
