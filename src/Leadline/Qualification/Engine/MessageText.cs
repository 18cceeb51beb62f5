namespace Leadline.Qualification.Engine;

internal enum TokenKind { Word, Number, Symbol }

/// <summary>A word, a number ("800,000", "1.5") or one symbol, located in the folded text.</summary>
internal readonly record struct Token(int Start, int End, TokenKind Kind, bool SpaceBefore);

/// <summary>
/// A message folded for matching (<see cref="TextFolding"/>), with a map back to the original characters so that
/// evidence quotes the lead's exact words, its tokens, and the clause and sentence boundaries that limit how far a
/// cue ("budget", "not", "do you") reaches.
/// </summary>
internal sealed class MessageText
{
    private readonly int[] _map;
    private readonly List<int> _clauseBreaks = [];
    private readonly List<int> _sentenceBreaks = [];
    private readonly List<int> _tokenStarts = [];
    private string?[]? _keys;

    public MessageText(string original)
    {
        Original = original;
        var folded = new char[original.Length];
        _map = new int[original.Length];
        int n = 0;
        for (int i = 0; i < original.Length; i++)
        {
            char f = TextFolding.Fold(original[i]);
            if (f != '\0')
            {
                folded[n] = f;
                _map[n++] = i;
            }
        }
        Text = new string(folded, 0, n);
        Tokenize();
        FindPunctuationBreaks();
    }

    public string Original { get; }

    /// <summary>The folded text every pattern runs on.</summary>
    public string Text { get; }

    public List<Token> Tokens { get; } = [];

    /// <summary>The lead's exact words for a span of the folded text.</summary>
    public string Slice(int start, int end) =>
        end <= start ? "" : Original[_map[start]..(_map[end - 1] + 1)];

    /// <summary>Words like "but" end a clause as punctuation does; the rules add them once per message.</summary>
    public void AddClauseBreak(int position)
    {
        int i = _clauseBreaks.BinarySearch(position);
        if (i < 0)
        {
            _clauseBreaks.Insert(~i, position);
        }
    }

    public bool SameClause(int a, int b) => CountBelow(_clauseBreaks, Math.Max(a, b)) == CountBelow(_clauseBreaks, Math.Min(a, b));

    public bool SameSentence(int a, int b) => CountBelow(_sentenceBreaks, Math.Max(a, b)) == CountBelow(_sentenceBreaks, Math.Min(a, b));

    /// <summary>The span of the sentence around a position, without its closing punctuation.</summary>
    public (int Start, int End) SentenceAt(int position)
    {
        int k = CountBelow(_sentenceBreaks, position);
        int start = k == 0 ? 0 : _sentenceBreaks[k - 1] + 1;
        int end = k < _sentenceBreaks.Count ? _sentenceBreaks[k] : Text.Length;
        return (start, end);
    }

    /// <summary>True when the sentence holding this position ends with a question mark.</summary>
    public bool IsQuestion(int position)
    {
        int k = CountBelow(_sentenceBreaks, position);
        return k < _sentenceBreaks.Count && Text[_sentenceBreaks[k]] == '?';
    }

    /// <summary>How many words and numbers start in [from, to).</summary>
    public int WordsBetween(int from, int to)
    {
        if (to <= from)
        {
            return 0;
        }
        int count = 0;
        for (int i = FirstTokenAt(from); i < Tokens.Count && Tokens[i].Start < to; i++)
        {
            if (Tokens[i].Kind != TokenKind.Symbol)
            {
                count++;
            }
        }
        return count;
    }

    /// <summary>Index of the first token starting at or after a position.</summary>
    public int FirstTokenAt(int position)
    {
        int i = _tokenStarts.BinarySearch(position);
        return i >= 0 ? i : ~i;
    }

    public ReadOnlySpan<char> TokenText(int index) => Text.AsSpan(Tokens[index].Start, Tokens[index].End - Tokens[index].Start);

    /// <summary>The look-up key of a token (<see cref="TextFolding.Key"/>), made once and shared by the readers of words.</summary>
    public string TokenKey(int index)
    {
        _keys ??= new string?[Tokens.Count];
        return _keys[index] ??= TextFolding.Key(TokenText(index));
    }

    private static int CountBelow(List<int> sorted, int position)
    {
        int i = sorted.BinarySearch(position);
        return i >= 0 ? i : ~i;
    }

    private void Tokenize()
    {
        string t = Text;
        int i = 0;
        while (i < t.Length)
        {
            char c = t[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }
            bool space = i == 0 || char.IsWhiteSpace(t[i - 1]);
            int start = i;
            TokenKind kind;
            if (char.IsDigit(c))
            {
                // Separators count only between digits: "800,000" and "1.5" are one number, "5," is not.
                while (i < t.Length && (char.IsDigit(t[i]) || ((t[i] == ',' || t[i] == '.') && i + 1 < t.Length && char.IsDigit(t[i + 1]))))
                {
                    i++;
                }
                kind = TokenKind.Number;
            }
            else if (char.IsLetter(c))
            {
                while (i < t.Length && (char.IsLetter(t[i]) || char.GetUnicodeCategory(t[i]) == System.Globalization.UnicodeCategory.NonSpacingMark
                    || (t[i] == '\'' && i + 1 < t.Length && char.IsLetter(t[i + 1]))))
                {
                    i++;
                }
                kind = TokenKind.Word;
            }
            else
            {
                i++;
                kind = TokenKind.Symbol;
            }
            Tokens.Add(new Token(start, i, kind, space));
            _tokenStarts.Add(start);
        }
    }

    private void FindPunctuationBreaks()
    {
        string t = Text;
        for (int i = 0; i < t.Length; i++)
        {
            char c = t[i];
            bool sentence = c is '!' or '?' or '\n';
            bool clause = sentence || c is ';' or ',' or '\u060C';
            if (c == '.')
            {
                // A full stop ends a sentence only before a space or the end: "a.s.a.p", "ر.س" and "1.5" are words.
                sentence = clause = i + 1 == t.Length || char.IsWhiteSpace(t[i + 1]) || t[i + 1] is '"' or ')';
            }
            else if (c == ',' && i > 0 && i + 1 < t.Length && char.IsDigit(t[i - 1]) && char.IsDigit(t[i + 1]))
            {
                clause = false;
            }
            if (clause)
            {
                _clauseBreaks.Add(i);
            }
            if (sentence)
            {
                _sentenceBreaks.Add(i);
            }
        }
    }
}
