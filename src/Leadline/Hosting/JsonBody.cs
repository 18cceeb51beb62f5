using System.Text.Json;

namespace Leadline.Hosting;

/// <summary>
/// Reads a JSON request body with the checks every intake endpoint needs: content type (415),
/// size (413), syntax (400 naming the position), before any field validation.
/// </summary>
public static class JsonBody
{
    public const int MaxBytes = 64 * 1024;

    public static async Task<(T? Value, IResult? Error)> ReadAsync<T>(HttpRequest request, CancellationToken ct) where T : class
    {
        if (!request.HasJsonContentType())
        {
            return (null, Problems.Status(415, "Unsupported media type",
                $"Send the body as JSON with 'Content-Type: application/json' (got '{request.ContentType ?? "none"}')."));
        }
        if (request.ContentLength > MaxBytes)
        {
            return (null, TooLarge());
        }

        using var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
            {
                return (null, TooLarge());
            }
            buffer.Write(chunk, 0, read);
        }

        if (buffer.Length == 0)
        {
            return (null, Problems.Status(400, "Empty body", "The request body is empty; send a JSON object."));
        }
        try
        {
            T? value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), Json.Options);
            return value is null
                ? (null, Problems.Status(400, "Invalid JSON", "The body must be a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException e)
        {
            string where = e.Path is { Length: > 1 } path ? $" at '{path}'" : e.LineNumber is long line ? $" at line {line + 1}" : "";
            string detail = e.Message.Contains("could not be converted", StringComparison.Ordinal)
                ? $"A field has the wrong type{where}: {FirstSentence(e.Message)}"
                : $"The body is not valid JSON{where}.";
            return (null, Problems.Status(400, "Invalid JSON", detail));
        }
    }

    private static IResult TooLarge() =>
        Problems.Status(413, "Body too large", $"The body is larger than {MaxBytes / 1024} KiB; shorten the message or the metadata.");

    private static string FirstSentence(string message) => message.Split(". ")[0].TrimEnd('.') + ".";
}
