namespace Leadline.Qualification.Engine;

/// <summary>
/// One message being qualified: its folded text, the phrase book, the clock, and the cue spans several rules
/// share (negations, capability questions, questions about opening hours), found once.
/// </summary>
internal sealed class MessageAnalysis
{
    // Long pastes (e-mail threads) are cut: the facts a lead states are near the top, and latency stays bounded.
    public const int MaxLength = 8000;

    private readonly List<Hit> _negations;
    private readonly List<Hit> _capability;
    private readonly List<Hit> _hours;
    private readonly LiteralMatches _present;

    public MessageAnalysis(string message, QualifierContext context, PhraseBook book)
    {
        Text = new MessageText(message.Length > MaxLength ? message[..MaxLength] : message);
        Book = book;
        Context = context;
        Today = DateOnly.FromDateTime(context.Now.DateTime);
        _present = book.Literals.Scan(Text.Text);
        foreach (Hit h in Find("clauseBreak"))
        {
            Text.AddClauseBreak(h.Start);
        }
        _negations = Find("negation");
        _capability = Find("capability");
        _hours = Find("hoursQuestion");
    }

    public MessageText Text { get; }
    public PhraseBook Book { get; }
    public Words Words => Book.Words;
    public QualifierContext Context { get; }
    public DateOnly Today { get; }
    public List<Evidence> Evidence { get; } = [];

    public List<Hit> Find(string category) => Book[category].Find(Text.Text, _present);

    public List<Hit> FindCurrencies() => Book.Currency.Find(Text.Text, _present);

    public void Cite(string field, string value, int start, int end) => Evidence.Add(new Evidence(field, value, Text.Slice(start, end)));

    /// <summary>
    /// "not", "no need to", "don't" within a few words before a phrase, in the same clause. A negation may overlap
    /// the phrase ("لا تتصلون" before "تتصلون علي"); one that starts where the phrase starts is part of it ("no hot water").
    /// </summary>
    public bool IsNegated(int start, int window) =>
        _negations.Exists(n => n.Start < start && Text.SameClause(n.Start, start) && Text.WordsBetween(n.End, start) <= window);

    /// <summary>
    /// A capability or hypothetical question before the phrase in its clause ("do you handle burst pipes",
    /// "what if I have a leak", "do you offer tours"): the lead asks about the service, they do not report or request.
    /// A plain condition ("if my pipe bursts") counts only when <paramref name="conditionals"/>: "if you could send
    /// a quote" is still a request.
    /// </summary>
    public bool IsHypothetical(int start, bool conditionals) =>
        _capability.Exists(c => c.Start <= start && Text.SameClause(c.Start, start) && (conditionals || c.Key != "conditional"));

    /// <summary>"what if", "in case": the clause imagines a situation, so the days it names are no target either.</summary>
    public bool IsImagined(int start) =>
        _capability.Exists(c => c.Key == "hypothetical" && c.Start <= start && Text.SameClause(c.Start, start));

    /// <summary>A question about opening hours ("what time do you open on Saturday?") names days that are no target.</summary>
    public bool InHoursQuestion(int position)
    {
        bool hours = false, asks = Text.IsQuestion(position);
        foreach (Hit h in _hours)
        {
            if (Text.SameSentence(h.Start, position))
            {
                hours |= h.Key == "hours";
                asks |= h.Key == "ask";
            }
        }
        return hours && asks;
    }

    /// <summary>The first hit of a category that is neither negated nor hypothetical.</summary>
    public Hit? FirstAsserted(string category, int negationWindow, bool allowHypothetical = false, bool conditionals = true)
    {
        foreach (Hit h in Find(category))
        {
            if (!IsNegated(h.Start, negationWindow) && (allowHypothetical || !IsHypothetical(h.Start, conditionals)))
            {
                return h;
            }
        }
        return null;
    }
}
