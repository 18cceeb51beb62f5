namespace Leadline.Mail.Imap;

/// <summary>
/// Reads whole responses from the server: a line, and whenever a line ends in a literal announcement
/// (<c>{n}</c>, <c>{n+}</c> or <c>~{n}</c>), exactly n bytes and the line that continues after them.
/// A literal goes straight from the buffer and the stream into one array of its final size, so a 5 MB message
/// costs one allocation and no copying byte by byte.
/// </summary>
internal sealed class ImapResponseReader(Stream stream, string peer, int maxLiteralSize)
{
    // A UID SEARCH over a large mailbox answers in one line: 100,000 UIDs take about 700 KB.
    private const int MaxLineLength = 8 * 1024 * 1024;

    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    /// <summary>Whether bytes the server sent are waiting in the buffer, unparsed.</summary>
    public bool HasBufferedData => _end > _start;

    public async Task<ImapResponse> ReadAsync(CancellationToken ct)
    {
        var lines = new List<byte[]>();
        var literals = new List<byte[]>();
        while (true)
        {
            byte[] line = await ReadLineAsync(ct);
            lines.Add(line);
            long size = LiteralSize(line);
            if (size < 0)
            {
                return ImapResponseParser.Parse(lines, literals);
            }
            if (size > maxLiteralSize)
            {
                throw new ImapProtocolException(
                    $"{peer} announced a literal of {size} bytes, more than the limit of {maxLiteralSize} bytes (ImapOptions.MaxLiteralSize)");
            }
            literals.Add(await ReadExactlyAsync((int)size, ct));
        }
    }

    /// <summary>The size of the literal a line announces at its end, or -1 when it announces none.</summary>
    internal static long LiteralSize(ReadOnlySpan<byte> line)
    {
        if (line.Length < 3 || line[^1] != '}')
        {
            return -1;
        }
        int open = line.LastIndexOf((byte)'{');
        if (open < 0)
        {
            return -1;
        }
        ReadOnlySpan<byte> digits = line[(open + 1)..^1];
        if (digits.Length > 0 && digits[^1] == '+')
        {
            digits = digits[..^1];
        }
        if (digits.Length is 0 or > 12)
        {
            return -1;
        }
        long size = 0;
        foreach (byte b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return -1;
            }
            size = size * 10 + (b - '0');
        }
        return size;
    }

    private async Task<byte[]> ReadLineAsync(CancellationToken ct)
    {
        MemoryStream? partial = null;
        while (true)
        {
            if (_start == _end)
            {
                await FillAsync(ct);
            }
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0 && partial is null)
            {
                byte[] line = WithoutCr(_buffer.AsSpan(_start, newline - _start));
                _start = newline + 1;
                return line;
            }
            int stop = newline >= 0 ? newline : _end;
            partial ??= new MemoryStream();
            partial.Write(_buffer, _start, stop - _start);
            _start = newline >= 0 ? newline + 1 : _end;
            if (partial.Length > MaxLineLength)
            {
                throw new ImapProtocolException($"{peer} sent a response line longer than {MaxLineLength} bytes");
            }
            if (newline >= 0)
            {
                return WithoutCr(partial.GetBuffer().AsSpan(0, (int)partial.Length));
            }
        }
    }

    private static byte[] WithoutCr(ReadOnlySpan<byte> line) =>
        (line.Length > 0 && line[^1] == '\r' ? line[..^1] : line).ToArray();

    private async Task<byte[]> ReadExactlyAsync(int size, CancellationToken ct)
    {
        var bytes = new byte[size];
        int buffered = Math.Min(size, _end - _start);
        _buffer.AsSpan(_start, buffered).CopyTo(bytes);
        _start += buffered;
        if (buffered < size)
        {
            try
            {
                await stream.ReadExactlyAsync(bytes.AsMemory(buffered), ct);
            }
            catch (EndOfStreamException)
            {
                throw new IOException($"{peer} closed the connection in the middle of a literal");
            }
        }
        return bytes;
    }

    private async Task FillAsync(CancellationToken ct)
    {
        _start = 0;
        _end = await stream.ReadAsync(_buffer, ct);
        if (_end == 0)
        {
            throw new IOException($"{peer} closed the connection");
        }
    }
}
