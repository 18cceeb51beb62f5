using System.Text;

namespace Leadline.Mail.Mime;

/// <summary>
/// Splits a message into its entity tree over the raw bytes, without copying them: multipart bodies are cut at their
/// boundary lines (preamble and epilogue dropped, a missing closing boundary or a truncated last part accepted), text
/// parts are decoded to strings, and attachments are only measured unless the options ask for their bytes.
/// </summary>
internal ref struct MimeReader(ReadOnlySpan<byte> data, MimeParseOptions options)
{
    private static readonly ContentType s_messageRfc822 = new("message", "rfc822", new Dictionary<string, string>());

    private readonly ReadOnlySpan<byte> _data = data;
    private int _parts;

    internal MimeNode ReadMessage() => ReadEntity(0, _data.Length, 0, ContentType.TextPlain);

    private MimeNode ReadEntity(int start, int end, int depth, ContentType fallbackType)
    {
        _parts++;
        List<MimeHeader> headers = HeaderReader.Read(_data[start..end], skipMboxLine: depth == 0, out int bodyOffset);
        int bodyStart = start + bodyOffset;
        string? charset = ContentType.Parse(Find(headers, "Content-Type"), fallbackType).Charset;
        HeaderReader.DecodeEightBit(headers, charset);
        ContentType type = ContentType.Parse(Find(headers, "Content-Type"), fallbackType);
        var node = new MimeNode(new MimeHeaders(headers), type, ContentDisposition.Parse(Find(headers, "Content-Disposition")));
        if (type.IsMultipart && depth < options.MaxDepth)
        {
            string? boundary = type.Boundary?.Trim() is { Length: > 0 } declared ? declared : GuessBoundary(bodyStart, end);
            List<(int Start, int End)> parts = boundary is null ? [] : SplitParts(bodyStart, end, boundary);
            if (parts.Count > 0)
            {
                ContentType childFallback = type.MediaSubtype == "digest" ? s_messageRfc822 : ContentType.TextPlain;
                foreach ((int partStart, int partEnd) in parts)
                {
                    if (_parts >= options.MaxParts)
                    {
                        break;
                    }
                    node.Children.Add(ReadEntity(partStart, partEnd, depth + 1, childFallback));
                }
                return node;
            }
            // Without a usable boundary the body is read as text, so what it says still reaches a person.
            node.Type = ContentType.TextPlain;
        }
        string encoding = HeaderParameters.StripComments(Find(headers, "Content-Transfer-Encoding") ?? "7bit").Trim().ToLowerInvariant();
        ReadLeaf(node, _data[bodyStart..end], encoding);
        return node;
    }

    private readonly void ReadLeaf(MimeNode node, ReadOnlySpan<byte> body, string encoding)
    {
        ContentType type = node.Type;
        string? fileName = CleanFileName(node.Disposition?.FileName ?? type.Name);
        bool isBodyText = (type.Is("text", "plain") || type.Is("text", "html")) && node.Disposition?.IsAttachment != true && fileName is null;
        if (isBodyText)
        {
            node.Text = BodyText.Decode(TransferDecoding.Decode(body, encoding), type);
            return;
        }
        string? contentId = node.Headers.Get("Content-ID")?.Trim().Trim('<', '>');
        bool inline = node.Disposition?.IsInline ?? !string.IsNullOrEmpty(contentId);
        byte[]? content = options.DecodeAttachments ? TransferDecoding.Decode(body, encoding) : null;
        long size = content?.Length ?? TransferDecoding.DecodedLength(body, encoding);
        node.Attachment = new MimeAttachment(fileName, type.MimeType, size, inline, string.IsNullOrEmpty(contentId) ? null : contentId, content);
    }

    /// <summary>The body ranges between "--boundary" lines; empty when there is no opening boundary line at all.</summary>
    private readonly List<(int Start, int End)> SplitParts(int bodyStart, int end, string boundary)
    {
        byte[] delimiter = Encoding.Latin1.GetBytes("--" + boundary);
        var parts = new List<(int, int)>();
        int partStart = -1;
        int search = bodyStart;
        while (search < end)
        {
            int found = _data[search..end].IndexOf(delimiter);
            if (found < 0)
            {
                break;
            }
            int at = search + found;
            int after = at + delimiter.Length;
            bool close = after + 1 < end && _data[after] == (byte)'-' && _data[after + 1] == (byte)'-';
            int rest = close ? after + 2 : after;
            bool atLineStart = at == bodyStart || _data[at - 1] == (byte)'\n';
            // "--b1" must not match the longer boundary "--b1-alt" of a nested part.
            bool whole = rest >= end || _data[rest] is (byte)'\r' or (byte)'\n' or (byte)' ' or (byte)'\t';
            if (!atLineStart || !whole)
            {
                search = at + 1;
                continue;
            }
            if (partStart >= 0)
            {
                // The line break before a boundary line belongs to the boundary, not to the part.
                int partEnd = at == bodyStart ? at : at - 1;
                if (partEnd > partStart && _data[partEnd - 1] == (byte)'\r')
                {
                    partEnd--;
                }
                parts.Add((partStart, Math.Max(partStart, partEnd)));
            }
            if (close)
            {
                return parts;
            }
            HeaderReader.LineAt(_data[..end], rest, out partStart);
            search = partStart;
        }
        if (partStart >= 0 && partStart < end)
        {
            parts.Add((partStart, end)); // no closing boundary: the last part runs to the end
        }
        return parts;
    }

    /// <summary>For a multipart without a boundary parameter: the first "--token" line of the body, if any.</summary>
    private readonly string? GuessBoundary(int bodyStart, int end)
    {
        int position = bodyStart;
        for (int lines = 0; lines < 200 && position < end; lines++)
        {
            ReadOnlySpan<byte> line = HeaderReader.LineAt(_data[..end], position, out int next);
            if (line.Length > 2 && line.StartsWith("--"u8) && line.IndexOfAny((byte)' ', (byte)'\t') < 0)
            {
                ReadOnlySpan<byte> token = line[2..];
                return Encoding.Latin1.GetString(token.EndsWith("--"u8) && token.Length > 2 ? token[..^2] : token);
            }
            position = next;
        }
        return null;
    }

    private static string? Find(List<MimeHeader> headers, string name) =>
        headers.Find(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Value;

    /// <summary>Drops any directory ("C:\Users\x\offer.pdf") so the name is safe to show and to save.</summary>
    private static string? CleanFileName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }
        string file = name[(name.LastIndexOfAny(['/', '\\']) + 1)..].Trim();
        return file.Length == 0 ? null : file;
    }
}
