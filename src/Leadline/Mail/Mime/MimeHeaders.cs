namespace Leadline.Mail.Mime;

/// <summary>
/// The header fields of a message or part, in order. Names compare case-insensitively. Values are unfolded (the
/// line breaks of folding removed) but otherwise raw: decode encoded words with <see cref="EncodedWords.Decode"/>
/// when reading a header <see cref="MimeMessage"/> does not already expose.
/// </summary>
public sealed class MimeHeaders : IReadOnlyList<MimeHeader>
{
    private readonly List<MimeHeader> _headers;

    internal MimeHeaders(List<MimeHeader> headers) => _headers = headers;

    public static MimeHeaders Empty { get; } = new([]);

    public int Count => _headers.Count;

    public MimeHeader this[int index] => _headers[index];

    /// <summary>The first value of the named header, or null when it is absent.</summary>
    public string? Get(string name)
    {
        foreach (MimeHeader header in _headers)
        {
            if (header.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }
        return null;
    }

    /// <summary>Every value of the named header, in order (Received, for example, repeats).</summary>
    public IReadOnlyList<string> GetAll(string name) =>
        [.. _headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)];

    public IEnumerator<MimeHeader> GetEnumerator() => _headers.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
