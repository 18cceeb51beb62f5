using System.Net.Mail;
using System.Text.Json;

namespace Leadline.Tests.Delivery;

/// <summary>
/// The request rules of <c>POST /v3/mail/send</c> from <c>specs/sendgrid/tsg_mail_v3.json</c>, plus the ones its
/// descriptions state in words (a subject somewhere, text/plain first, headers that may not be overridden).
/// </summary>
public static class SendGridContract
{
    private static readonly string[] s_reservedHeaders =
        ["x-sg-id", "x-sg-eid", "received", "dkim-signature", "content-type", "content-transfer-encoding", "to", "from", "subject", "reply-to", "cc", "bcc"];

    public static string? FirstRecipient(JsonElement body) =>
        body.ValueKind == JsonValueKind.Object
        && body.TryGetProperty("personalizations", out var ps) && ps.ValueKind == JsonValueKind.Array && ps.GetArrayLength() > 0
        && ps[0].TryGetProperty("to", out var to) && to.ValueKind == JsonValueKind.Array && to.GetArrayLength() > 0
        && to[0].TryGetProperty("email", out var email) && email.ValueKind == JsonValueKind.String
            ? email.GetString()
            : null;

    /// <summary>The first rule the body breaks, worded like SendGrid's own errors; null when it is valid.</summary>
    public static string? Violation(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return "Bad Request";
        }
        if (!body.TryGetProperty("personalizations", out var personalizations) || personalizations.ValueKind != JsonValueKind.Array
            || personalizations.GetArrayLength() is 0 or > 1000)
        {
            return "The personalizations field is required and must have at least one personalization.";
        }
        bool subjectEverywhere = true;
        foreach (JsonElement p in personalizations.EnumerateArray())
        {
            if (p.ValueKind != JsonValueKind.Object || !p.TryGetProperty("to", out var to) || to.ValueKind != JsonValueKind.Array || to.GetArrayLength() == 0)
            {
                return "The to array is required for all personalization objects, and must have at least one email object with a valid email address.";
            }
            if (to.EnumerateArray().Any(a => AddressProblem(a) is not null))
            {
                return "Does not contain a valid address.";
            }
            if (p.TryGetProperty("custom_args", out var args) && (args.ValueKind != JsonValueKind.Object
                || args.EnumerateObject().Any(a => a.Value.ValueKind != JsonValueKind.String)))
            {
                return "Invalid type. Expected: object of strings, given: " + args.ValueKind;
            }
            if (p.TryGetProperty("headers", out var ph) && HeaderProblem(ph) is string phProblem)
            {
                return phProblem;
            }
            subjectEverywhere &= p.TryGetProperty("subject", out var ps) && ps.ValueKind == JsonValueKind.String && ps.GetString()!.Length > 0;
        }
        if (!body.TryGetProperty("from", out var from) || AddressProblem(from) is not null)
        {
            return "The from object must be provided for every email send. It is an object that requires the email parameter, but may also contain a name parameter.";
        }
        bool subject = body.TryGetProperty("subject", out var s) && s.ValueKind == JsonValueKind.String && s.GetString()!.Length > 0;
        if (!subject && !subjectEverywhere)
        {
            return "The subject is required. You can get around this requirement if you use a template with a subject defined or if every personalization has a subject defined.";
        }
        if (!body.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array || content.GetArrayLength() == 0)
        {
            return "Unless a valid template_id is provided, the content parameter is required. There must be at least one defined content block.";
        }
        foreach (JsonElement c in content.EnumerateArray())
        {
            if (!NonEmptyString(c, "type") || !NonEmptyString(c, "value"))
            {
                return "The content value must be a string at least one character in length.";
            }
        }
        if (content.GetArrayLength() > 1 && content[0].GetProperty("type").GetString() != "text/plain")
        {
            return "If present, text/plain content must be first, followed by text/html, followed by any other content.";
        }
        if (body.TryGetProperty("headers", out var headers) && HeaderProblem(headers) is string problem)
        {
            return problem;
        }
        if (body.TryGetProperty("custom_args", out var custom) && custom.ValueKind != JsonValueKind.String)
        {
            // The document types the message-level custom_args as a string (the personalization's is an object).
            return "Invalid type. Expected: string, given: " + custom.ValueKind;
        }
        return null;
    }

    private static string? AddressProblem(JsonElement address) =>
        address.ValueKind != JsonValueKind.Object || !address.TryGetProperty("email", out var email) || email.ValueKind != JsonValueKind.String
        || !MailAddress.TryCreate(email.GetString(), out _)
        || (address.TryGetProperty("name", out var name) && name.ValueKind != JsonValueKind.String)
            ? "invalid address"
            : null;

    private static string? HeaderProblem(JsonElement headers)
    {
        if (headers.ValueKind != JsonValueKind.Object || headers.EnumerateObject().Any(h => h.Value.ValueKind != JsonValueKind.String))
        {
            return "Invalid type. Expected: object of strings.";
        }
        foreach (JsonProperty header in headers.EnumerateObject())
        {
            if (s_reservedHeaders.Contains(header.Name.ToLowerInvariant()))
            {
                return $"The header {header.Name} cannot be overridden.";
            }
        }
        return null;
    }

    private static bool NonEmptyString(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0;
}
