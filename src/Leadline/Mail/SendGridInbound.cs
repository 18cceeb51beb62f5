using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Observability;
using Leadline.Tenants;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using MimeKit;

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

    static SendGridInbound()
    {
        // SendGrid names the charsets mailers used, Windows-1256 and ISO-8859-6 among them: the code-pages provider has them.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

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

        bool whole = fields.TryGetValue("email", out byte[]? raw) && raw.Length > 0;
        MimeMessage? mail = whole ? MailContent.Load(raw!) : Compose(fields);
        string fallbackId = "sendgrid:" + Convert.ToHexStringLower(whole ? SHA256.HashData(raw!) : Fingerprint(fields))[..32];
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
    /// Puts SendGrid's parsed fields back together as one MimeKit message, so that it is read exactly like mail from
    /// IMAP: the original headers (Message-ID, Auto-Submitted, In-Reply-To...) as SendGrid passed them, and the text
    /// and HTML decoded from the charsets SendGrid names.
    /// </summary>
    internal static MimeMessage Compose(IReadOnlyDictionary<string, byte[]> fields)
    {
        Dictionary<string, string> charsets = ReadCharsets(fields);
        string? Field(string name) => fields.TryGetValue(name, out byte[]? bytes) ? Decode(bytes, charsets.GetValueOrDefault(name)) : null;

        var message = new MimeMessage();
        // A new MimeMessage comes with a Date, a Message-ID and an empty Subject of its own; the mail's are SendGrid's.
        message.Headers.Clear();
        if (Field("headers") is { Length: > 0 } headers)
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(headers.ReplaceLineEndings("\r\n").TrimEnd() + "\r\n\r\n"));
            // The body is rebuilt below, so the original's own MIME headers would describe something else.
            foreach (Header header in HeaderList.Load(stream).Where(h => h.Id is not (HeaderId.ContentType or HeaderId.ContentTransferEncoding or HeaderId.MimeVersion)))
            {
                message.Headers.Add(header);
            }
        }
        else
        {
            foreach ((string name, InternetAddressList list) in new[] { ("from", message.From), ("to", message.To) })
            {
                if (Field(name) is { Length: > 0 } value && InternetAddressList.TryParse(value.ReplaceLineEndings(" "), out InternetAddressList? parsed))
                {
                    list.AddRange(parsed);
                }
            }
            if (Field("subject") is { } subject)
            {
                message.Subject = subject.ReplaceLineEndings(" ");
            }
        }
        message.Body = new BodyBuilder { TextBody = Field("text") ?? (fields.ContainsKey("html") ? null : ""), HtmlBody = Field("html") }.ToMessageBody();
        return message;
    }

    /// <summary>A field's text in the charset SendGrid named; without one, UTF-8 when it is valid, else Windows-1252.</summary>
    private static string Decode(byte[] bytes, string? charset)
    {
        Encoding? named = null;
        try
        {
            named = charset is null ? null : Encoding.GetEncoding(charset);
        }
        catch (ArgumentException)
        {
            // An unknown charset name is guessed, as if none were named.
        }
        if (named is not null)
        {
            return named.GetString(bytes);
        }
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252).GetString(bytes);
        }
    }

    /// <summary>A hash of the parsed fields that make the mail, the same on each of SendGrid's retries.</summary>
    private static byte[] Fingerprint(IReadOnlyDictionary<string, byte[]> fields)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string name in new[] { "headers", "from", "to", "subject", "text", "html" })
        {
            byte[] value = fields.TryGetValue(name, out byte[]? bytes) ? bytes : [];
            hash.AppendData(BitConverter.GetBytes(value.Length));
            hash.AppendData(value);
        }
        return hash.GetHashAndReset();
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
