using System.Globalization;
using System.Text;

namespace Leadline.Mail.Imap;

/// <summary>
/// Turns the lines and literals of one response, as <see cref="ImapResponseReader"/> read them, into an
/// <see cref="ImapResponse"/>. Line i, when it is not the last, ends with the announcement of literal i.
/// The grammar is RFC 3501's, read leniently where servers are known to stray (any byte but a delimiter in an atom).
/// </summary>
internal sealed class ImapResponseParser
{
    private readonly IReadOnlyList<byte[]> _lines;
    private readonly IReadOnlyList<byte[]> _literals;
    private int _line;
    private int _pos;

    private ImapResponseParser(IReadOnlyList<byte[]> lines, IReadOnlyList<byte[]> literals)
    {
        _lines = lines;
        _literals = literals;
    }

    private byte[] Line => _lines[_line];

    private bool AtLineEnd => _pos >= Line.Length;

    private bool AtEnd => AtLineEnd && _line == _lines.Count - 1;

    private byte Peek => AtLineEnd ? (byte)0 : Line[_pos];

    public static ImapResponse Parse(IReadOnlyList<byte[]> lines, IReadOnlyList<byte[]> literals)
    {
        var parser = new ImapResponseParser(lines, literals);
        try
        {
            return parser.ParseResponse();
        }
        catch (ImapProtocolException e)
        {
            string start = Encoding.UTF8.GetString(lines[0].AsSpan(0, Math.Min(lines[0].Length, 80)));
            throw new ImapProtocolException($"{e.Message} in the response '{start}'");
        }
    }

    private ImapResponse ParseResponse()
    {
        if (Peek == '+')
        {
            _pos++;
            SkipSpaces();
            return new ImapResponse(ImapResponseKind.Continuation, null, "+", null, null, [], RestOfLine(), []);
        }
        string tag = Word();
        Expect(' ');
        if (tag == "*")
        {
            string word = Word();
            long? number = null;
            if (word.Length > 0 && word.All(char.IsAsciiDigit))
            {
                number = long.Parse(word, NumberStyles.None, CultureInfo.InvariantCulture);
                Expect(' ');
                word = Word();
            }
            string name = word.ToUpperInvariant();
            if (number is null && name is "OK" or "NO" or "BAD" or "BYE" or "PREAUTH")
            {
                return Status(ImapResponseKind.Untagged, null, name);
            }
            return new ImapResponse(ImapResponseKind.Untagged, null, name, number, null, [], "", ValuesToEnd());
        }
        string status = Word().ToUpperInvariant();
        if (status is not ("OK" or "NO" or "BAD"))
        {
            throw new ImapProtocolException($"'{status}' is not OK, NO or BAD");
        }
        return Status(ImapResponseKind.Tagged, tag, status);
    }

    private ImapResponse Status(ImapResponseKind kind, string? tag, string name)
    {
        SkipSpaces();
        string? code = null;
        IReadOnlyList<ImapValue> codeValues = [];
        if (Peek == '[')
        {
            _pos++;
            (code, codeValues) = ResponseCode();
            SkipSpaces();
        }
        return new ImapResponse(kind, tag, name, null, code, codeValues, RestOfLine(), []);
    }

    private (string Code, IReadOnlyList<ImapValue> Values) ResponseCode()
    {
        int start = _pos;
        while (!AtLineEnd && Peek is not (byte)' ' and not (byte)']')
        {
            _pos++;
        }
        string code = Encoding.ASCII.GetString(Line, start, _pos - start).ToUpperInvariant();
        var values = new List<ImapValue>();
        int line = _line;
        int pos = _pos;
        try
        {
            while (true)
            {
                SkipSpaces();
                if (Peek == ']')
                {
                    break;
                }
                values.Add(Value());
            }
        }
        catch (ImapProtocolException) when (_line == line)
        {
            // A code this client does not know may hold free text ("[x-reason don't (retry]"): keep its name only.
            values.Clear();
            _pos = Array.IndexOf(Line, (byte)']', pos);
            if (_pos < 0)
            {
                throw new ImapProtocolException("a response code is not closed with ']'");
            }
        }
        Expect(']');
        return (code, values);
    }

    private List<ImapValue> ValuesToEnd()
    {
        var values = new List<ImapValue>();
        while (true)
        {
            SkipSpaces();
            if (AtEnd)
            {
                return values;
            }
            values.Add(Value());
        }
    }

    private ImapValue Value()
    {
        switch (Peek)
        {
            case (byte)'(':
                _pos++;
                var items = new List<ImapValue>();
                while (true)
                {
                    SkipSpaces();
                    if (AtLineEnd)
                    {
                        throw new ImapProtocolException("a list is not closed with ')'");
                    }
                    if (Peek == ')')
                    {
                        _pos++;
                        return ImapValue.List(items);
                    }
                    items.Add(Value());
                }
            case (byte)'"':
                return Quoted();
            case (byte)'{':
            case (byte)'~' when _pos + 1 < Line.Length && Line[_pos + 1] == '{':
                return Literal();
            default:
                return Atom();
        }
    }

    private ImapValue Quoted()
    {
        _pos++;
        var bytes = new List<byte>();
        while (true)
        {
            if (AtLineEnd)
            {
                throw new ImapProtocolException("a quoted string is not closed");
            }
            byte b = Line[_pos++];
            if (b == '"')
            {
                return ImapValue.String([.. bytes]);
            }
            if (b == '\\')
            {
                if (AtLineEnd)
                {
                    throw new ImapProtocolException("a quoted string ends in a backslash");
                }
                b = Line[_pos++];
            }
            bytes.Add(b);
        }
    }

    private ImapValue Literal()
    {
        if (Peek == '~')
        {
            _pos++;
        }
        int close = Array.IndexOf(Line, (byte)'}', _pos);
        if (close != Line.Length - 1 || _line >= _lines.Count - 1)
        {
            throw new ImapProtocolException("a literal is announced in the middle of a line");
        }
        byte[] literal = _literals[_line];
        _line++;
        _pos = 0;
        return ImapValue.String(literal);
    }

    private ImapValue Atom()
    {
        int start = _pos;
        while (!AtLineEnd && Peek is not ((byte)' ' or (byte)'(' or (byte)')' or (byte)']' or (byte)'"'))
        {
            if (Peek == '[')
            {
                // A section, as in BODY[HEADER.FIELDS (FROM DATE)]: spaces and parentheses inside belong to the atom.
                int close = Array.IndexOf(Line, (byte)']', _pos);
                if (close < 0)
                {
                    throw new ImapProtocolException("a '[' is not closed with ']'");
                }
                _pos = close;
            }
            _pos++;
        }
        if (_pos == start)
        {
            throw new ImapProtocolException(AtLineEnd ? "the response ends too early" : $"unexpected '{(char)Peek}'");
        }
        string text = Encoding.UTF8.GetString(Line, start, _pos - start);
        return text.Equals("NIL", StringComparison.OrdinalIgnoreCase) ? ImapValue.Nil : ImapValue.Atom(text);
    }

    /// <summary>A tag or a response word: everything up to the next space or the end of the line.</summary>
    private string Word()
    {
        int start = _pos;
        while (!AtLineEnd && Peek != ' ')
        {
            _pos++;
        }
        if (_pos == start)
        {
            throw new ImapProtocolException("a word is missing");
        }
        return Encoding.UTF8.GetString(Line, start, _pos - start);
    }

    private string RestOfLine()
    {
        string text = Encoding.UTF8.GetString(Line, _pos, Line.Length - _pos);
        _pos = Line.Length;
        return text;
    }

    private void SkipSpaces()
    {
        while (Peek == ' ')
        {
            _pos++;
        }
    }

    private void Expect(char c)
    {
        if (Peek != c)
        {
            throw new ImapProtocolException(AtLineEnd ? $"expected '{c}' but the line ends" : $"expected '{c}' but found '{(char)Peek}'");
        }
        _pos++;
    }
}
