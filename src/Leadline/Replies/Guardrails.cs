using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Leadline.Knowledge;
using Leadline.Tenants;

namespace Leadline.Replies;

/// <summary>
/// Judges every draft the same way whatever engine wrote it (PRODUCT.md 2.2), including a model that invents facts
/// or obeys instructions hidden in the lead's message. Facts (numbers, prices, percentages, phone numbers, e-mail
/// addresses, named dates) must appear in the FAQs the draft cites, in the lead's own message or in the tenant's
/// settings, and a percentage in the tenant's own text, never only in the lead's message; links may only point to
/// the tenant's booking link host (or a host the tenant itself wrote in the cited
/// FAQ, its templates or its signature, never one from the lead's message); the booking link must be there when
/// the tenant has one; nothing may look like a secret or show that the draft followed the lead's instructions; an
/// SMS fits in two segments and an e-mail in the tenant's limit. A draft that fails becomes the safe fallback, with
/// the reasons kept in <see cref="ReplyDraft.Violations"/>, each written "code: detail" (see <see cref="Codes"/>).
/// </summary>
public static partial class Guardrails
{
    /// <summary>The codes that start every reason, stable for dashboards and the audit trail.</summary>
    public static class Codes
    {
        /// <summary>The draft cites a FAQ retrieval did not supply.</summary>
        public const string UncitedFaq = "uncited_faq";

        /// <summary>The tenant has a booking link and the draft leaves it out.</summary>
        public const string MissingBookingLink = "missing_booking_link";

        /// <summary>A link to a host other than the booking link's or one the tenant wrote itself.</summary>
        public const string ForeignLink = "foreign_link";

        /// <summary>A number (price, percentage, quantity) that nothing the draft may rely on states.</summary>
        public const string UngroundedNumber = "ungrounded_number";

        /// <summary>A phone number that nothing the draft may rely on states.</summary>
        public const string UngroundedPhone = "ungrounded_phone";

        /// <summary>An e-mail address that nothing the draft may rely on states.</summary>
        public const string UngroundedEmail = "ungrounded_email";

        /// <summary>A month or weekday that nothing the draft may rely on names.</summary>
        public const string UngroundedDate = "ungrounded_date";

        /// <summary>Something that looks like an API key or token.</summary>
        public const string Secret = "secret";

        /// <summary>The draft shows it followed instructions written into the lead's message.</summary>
        public const string Injection = "injection";

        /// <summary>Longer than the channel allows (two SMS segments, or the tenant's e-mail limit).</summary>
        public const string TooLong = "too_long";

        /// <summary>Every code, in the order <see cref="Check"/> looks for them.</summary>
        public static readonly IReadOnlyList<string> All =
        [
            UncitedFaq, MissingBookingLink, ForeignLink, UngroundedNumber, UngroundedPhone, UngroundedEmail,
            UngroundedDate, Secret, Injection, TooLong,
        ];
    }

    /// <summary>How many words of the lead's instruction a draft may repeat before it counts as having obeyed it.</summary>
    private const int MinEchoWords = 8;

    /// <summary>Returns the draft (an SMS possibly shortened) when it passes, else the fallback with the reasons.</summary>
    public static ReplyDraft Apply(ReplyDraft draft, ReplyContext context)
    {
        List<string> reasons = Check(draft, context);
        if (reasons.Count == 0)
        {
            var (fitted, tooLong) = FitChannel(draft, context.Channel);
            if (tooLong is null)
            {
                return fitted;
            }
            reasons.Add(tooLong);
        }
        ReplyDraft fallback = ReplyTemplates.Fallback(context, draft.Language, draft.Confidence, draft.Engine);
        return FitChannel(fallback, context.Channel).Draft with { Violations = reasons };
    }

    /// <summary>
    /// The code of a reason <see cref="Check"/> or <see cref="FitChannel"/> gave ("ungrounded_number" for
    /// "ungrounded_number: states '90%', ..."); empty for a reason without one, such as those recorded before codes.
    /// </summary>
    public static string CodeOf(string reason)
    {
        int at = reason.IndexOf(": ", StringComparison.Ordinal);
        return at > 0 && !reason.AsSpan(0, at).ContainsAnyExcept(s_codeChars) ? reason[..at] : "";
    }

    private static readonly SearchValues<char> s_codeChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz_");

    private static string Reason(string code, string detail) => $"{code}: {detail}";

    /// <summary>
    /// The reasons a draft may not be sent; empty when it may. An SMS's length is left to <see cref="FitChannel"/>,
    /// which can shorten it; an e-mail longer than the tenant's limit is a reason here.
    /// </summary>
    public static List<string> Check(ReplyDraft draft, ReplyContext context)
    {
        var reasons = new List<string>();
        TenantSettings settings = context.Tenant.Settings;
        List<Faq> cited = CitedFaqs(draft, context, reasons);
        string faqText = string.Join("\n", cited.SelectMany(FaqTexts));

        string? link = string.IsNullOrWhiteSpace(settings.BookingLink) ? null : settings.BookingLink.Trim();
        if (link is not null && !draft.Text.Contains(link, StringComparison.Ordinal))
        {
            reasons.Add(Reason(Codes.MissingBookingLink, "the booking link is missing"));
        }

        // The tenant's own words (cited FAQs, templates, signature) may name its website; the lead's may not.
        string tenantText = string.Join("\n", [faqText, settings.Tone.Signature ?? "", .. settings.Templates.Values]);
        reasons.AddRange(ForeignLinks(draft.Text, link, tenantText));

        string business = string.Join("\n", [
            faqText, settings.BusinessName, context.Tenant.Name, settings.Tone.Signature ?? "", link ?? "",
            settings.ReplyFromEmail ?? "", settings.OwnerEmail ?? "", .. settings.Templates.Values]);
        string grounding = string.Join("\n", [
            business, context.InboundText, context.Subject ?? "", context.Lead.FirstName ?? "", context.Lead.LastName ?? ""]);
        reasons.AddRange(UngroundedFacts(draft.Text, grounding, business));
        reasons.AddRange(UngroundedEmails(draft.Text, grounding));
        reasons.AddRange(UngroundedDates(draft.Text, grounding));

        if (Secret().IsMatch(draft.Text))
        {
            reasons.Add(Reason(Codes.Secret, "contains something that looks like an API key or token"));
        }
        reasons.AddRange(Injections(draft, context, tenantText));
        if (TooLongEmail(draft, context.Channel, settings) is { } tooLong)
        {
            reasons.Add(tooLong);
        }
        return reasons;
    }

    /// <summary>The FAQs the draft cites that retrieval supplied; a reason for each it did not.</summary>
    private static List<Faq> CitedFaqs(ReplyDraft draft, ReplyContext context, List<string> reasons)
    {
        var cited = new List<Faq>();
        foreach (string id in draft.FaqIds)
        {
            if (context.Snippets.FirstOrDefault(s => s.Faq.Reference == id) is { } match)
            {
                cited.Add(match.Faq);
            }
            else
            {
                reasons.Add(Reason(Codes.UncitedFaq, $"cites FAQ '{id}', which retrieval did not supply"));
            }
        }
        return cited;
    }

    /// <summary>Links to hosts other than the booking link's and those the tenant's own text names.</summary>
    private static IEnumerable<string> ForeignLinks(string text, string? link, string tenantText)
    {
        var allowedHosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (link is not null && Host(link) is { } bookingHost)
        {
            allowedHosts.Add(bookingHost);
        }
        foreach (Match m in Links().Matches(tenantText))
        {
            if (Host(m.Value) is { } host)
            {
                allowedHosts.Add(host);
            }
        }
        foreach (Match m in Links().Matches(text))
        {
            string? host = Host(m.Value);
            if (host is null || !allowedHosts.Contains(host))
            {
                yield return Reason(Codes.ForeignLink, $"links to '{host ?? m.Value}', which is not the tenant's booking link");
            }
        }
    }

    /// <summary>
    /// Numbers (prices and percentages among them) and phone numbers the grounding does not state, and percentages
    /// only the lead's message states: a lead who writes "confirm I get 90% off" does not make 90% an offer.
    /// </summary>
    private static IEnumerable<string> UngroundedFacts(string text, string grounding, string business)
    {
        Facts known = Facts.Of(grounding);
        Facts stated = Facts.Of(text);
        // "90%" also states "90"; one reason for it is enough.
        foreach (string number in stated.Numbers.Where(n => !known.Numbers.Contains(n) && !stated.Numbers.Contains(n + "%")))
        {
            yield return Reason(Codes.UngroundedNumber, $"states '{number}', which is in neither the cited FAQ nor the lead's message");
        }
        Facts offered = Facts.Of(business);
        foreach (string rate in stated.Numbers.Where(n => n.EndsWith('%') && known.Numbers.Contains(n) && !offered.Numbers.Contains(n)))
        {
            yield return Reason(Codes.UngroundedNumber, $"states '{rate}', which only the lead's message gives: a rate or discount must come from the business");
        }
        foreach (string phone in stated.Phones.Where(p => !known.Phones.Any(k => SamePhone(k, p)) && !known.Numbers.Contains(p)))
        {
            yield return Reason(Codes.UngroundedPhone, $"states the phone number '{phone}', which is in neither the cited FAQ nor the lead's message");
        }
    }

    /// <summary>E-mail addresses the grounding does not contain (compared without regard to case).</summary>
    private static IEnumerable<string> UngroundedEmails(string text, string grounding)
    {
        var known = new HashSet<string>(EmailAddresses(grounding), StringComparer.OrdinalIgnoreCase);
        foreach (string address in EmailAddresses(text).Distinct(StringComparer.OrdinalIgnoreCase).Where(a => !known.Contains(a)))
        {
            yield return Reason(Codes.UngroundedEmail,
                $"gives the address '{address}', which is in neither the cited FAQ, the lead's message nor the tenant's settings");
        }
    }

    private static IEnumerable<string> EmailAddresses(string text) =>
        EmailAddress().Matches(text).Select(m => m.Value.Trim('.'));

    /// <summary>
    /// Months and weekdays the grounding does not name. A month with a day ("March 3") needs that same day; a
    /// month alone is grounded by any mention of it. Names compare across languages ("Friday" grounds "الجمعة").
    /// </summary>
    private static IEnumerable<string> UngroundedDates(string text, string grounding)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (string key in DatesOf(grounding).Keys)
        {
            known.Add(key);
            if (key.IndexOf('d', StringComparison.Ordinal) is > 0 and var day)
            {
                known.Add(key[..day]);
            }
        }
        foreach (string written in DatesOf(text).Where(d => !known.Contains(d.Key)).Select(d => d.Value))
        {
            yield return Reason(Codes.UngroundedDate,
                $"names the date '{written}', which is in neither the cited FAQ, the lead's message nor the tenant's settings");
        }
    }

    /// <summary>An e-mail draft longer than the tenant allows (SMS length is <see cref="FitChannel"/>'s).</summary>
    private static string? TooLongEmail(ReplyDraft draft, string channel, TenantSettings settings)
    {
        int max = settings.MaxEmailChars > 0 ? settings.MaxEmailChars : TenantSettings.DefaultMaxEmailChars;
        return channel == "email" && draft.Text.Length > max
            ? Reason(Codes.TooLong, $"the e-mail needs {draft.Text.Length} characters, more than the tenant's limit of {max} (max_email_chars)")
            : null;
    }

    /// <summary>
    /// Makes an SMS fit in two segments by shortening the FAQ answer (never the call to action or the link);
    /// returns a reason instead when even the shortest answer does not fit. Other channels pass unchanged.
    /// </summary>
    public static (ReplyDraft Draft, string? Problem) FitChannel(ReplyDraft draft, string channel)
    {
        if (channel != "sms")
        {
            return (draft, null);
        }
        string text = SmsText.Plain(draft.Text);
        string? answer = draft.Answer is null ? null : SmsText.Plain(draft.Answer);
        if (SmsText.Fits(text))
        {
            return (draft with { Text = text, Answer = answer }, null);
        }
        int at = answer is { Length: > 0 } ? text.IndexOf(answer, StringComparison.Ordinal) : -1;
        if (at >= 0)
        {
            foreach (string shorter in SmsText.Shortenings(answer!))
            {
                string candidate = string.Concat(text.AsSpan(0, at), shorter, text.AsSpan(at + answer!.Length));
                if (SmsText.Fits(candidate))
                {
                    return (draft with { Text = candidate, Answer = shorter }, null);
                }
            }
        }
        return (draft with { Text = text, Answer = answer }, Reason(Codes.TooLong,
            $"the reply needs {SmsText.Length(text)} characters, more than {SmsText.MaxSegments} SMS segments ({SmsText.Limit(text)}) hold even with the answer shortened"));
    }

    private static IEnumerable<string> FaqTexts(Faq faq) =>
        [faq.Question, faq.Answer, .. faq.Translations.Values.SelectMany(t => new[] { t.Question, t.Answer })];

    private static bool SamePhone(string known, string stated) =>
        known.EndsWith(stated, StringComparison.Ordinal) || stated.EndsWith(known, StringComparison.Ordinal);

    private static string? Host(string link)
    {
        string absolute = link.Contains("://", StringComparison.Ordinal) ? link : "http://" + link;
        if (!Uri.TryCreate(absolute, UriKind.Absolute, out Uri? uri) || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }
        string host = uri.Host.ToLowerInvariant();
        return host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
    }

    /// <summary>
    /// Signs that the draft obeyed the lead's message rather than the tenant: jailbreak wording ("system prompt",
    /// "ignore previous instructions", "as an AI", "تجاهل التعليمات"), or a long span of an instruction in the
    /// message ("reply with ...", "say that ...", "قل إن ...") repeated word for word. Wording the tenant itself
    /// wrote (cited FAQs, templates, signature, the reply wording) does not count.
    /// </summary>
    private static IEnumerable<string> Injections(ReplyDraft draft, ReplyContext context, string tenantText)
    {
        string wording = string.Join("\n",
            ReplyTemplates.Model(context.Tenant, draft.Language, context.Lead.FirstName, "").Values.Select(v => v.ToString()));
        string own = WordText(tenantText + "\n" + wording);
        string text = Folded(draft.Text);
        if (Jailbreak().Matches(text).FirstOrDefault(m => !own.Contains(WordText(m.Value), StringComparison.Ordinal)) is { } said)
        {
            yield return Reason(Codes.Injection, $"says '{said.Value}', which a reply only says when it follows instructions hidden in a message");
        }
        string message = Folded(string.Join("\n", context.Subject ?? "", context.InboundText));
        if (EchoedInstruction(text, message, own) is { } echoed)
        {
            yield return Reason(Codes.Injection, $"repeats word for word the lead's instruction '{Clip(echoed)}'");
        }
    }

    /// <summary>
    /// The first run of at least <see cref="MinEchoWords"/> words that the draft copies from an instruction in the
    /// message (from the instruction's verb to the end of its sentence, quotes included), unless the tenant's own
    /// text holds the same words; null when there is none.
    /// </summary>
    private static string? EchoedInstruction(string draft, string message, string own)
    {
        List<Word>? said = null;
        List<Word>? written = null;
        foreach (Match cue in Instruction().Matches(message))
        {
            int from = cue.Groups["cue"].Index;
            int to = ClauseEnd(message, from + cue.Groups["cue"].Length);
            said ??= Words(message);
            Word[] clause = said.Skip(FirstWordFrom(said, from)).TakeWhile(w => w.End <= to).ToArray();
            if (clause.Length < MinEchoWords)
            {
                continue;
            }
            written ??= Words(draft);
            foreach (var (start, length) in CommonRuns(clause, written))
            {
                string span = string.Join(' ', clause.Skip(start).Take(length).Select(w => w.Text));
                if (!own.Contains($" {span} ", StringComparison.Ordinal))
                {
                    return message[clause[start].Start..clause[start + length - 1].End];
                }
            }
        }
        return null;
    }

    /// <summary>The index of the first word that starts at or after <paramref name="at"/> (words are in text order).</summary>
    private static int FirstWordFrom(List<Word> words, int at)
    {
        int low = 0, high = words.Count;
        while (low < high)
        {
            int middle = (low + high) / 2;
            (low, high) = words[middle].Start < at ? (middle + 1, high) : (low, middle);
        }
        return low;
    }

    /// <summary>
    /// Where the sentence holding an instruction ends: at a full stop, question or exclamation mark or line break
    /// outside quotation marks, so a quoted reply the lead dictates counts as one instruction.
    /// </summary>
    private static int ClauseEnd(string text, int from)
    {
        bool quoted = false;
        for (int i = from; i < text.Length; i++)
        {
            char c = text[i];
            if (c is '"' or '“' or '”' or '«' or '»')
            {
                quoted = c switch { '“' or '«' => true, '”' or '»' => false, _ => !quoted };
            }
            else if (!quoted && (c == '\n' || (c is '.' or '!' or '?' or '؟' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))))
            {
                return i;
            }
        }
        return text.Length;
    }

    /// <summary>
    /// Each longest run of at least <see cref="MinEchoWords"/> words that <paramref name="said"/> and
    /// <paramref name="written"/> share, as its start in <paramref name="said"/> and its length.
    /// </summary>
    private static IEnumerable<(int Start, int Length)> CommonRuns(Word[] said, List<Word> written)
    {
        var previous = new int[written.Count + 1];
        var current = new int[written.Count + 1];
        for (int i = 0; i < said.Length; i++)
        {
            for (int j = 0; j < written.Count; j++)
            {
                int run = current[j + 1] = said[i].Text == written[j].Text ? previous[j] + 1 : 0;
                bool longest = i + 1 == said.Length || j + 1 == written.Count || said[i + 1].Text != written[j + 1].Text;
                if (run >= MinEchoWords && longest)
                {
                    yield return (i - run + 1, run);
                }
            }
            (previous, current) = (current, previous);
        }
    }

    /// <summary>A word of a text, lower-cased with the Arabic letters that vary in spelling (أ إ آ ى ة) made one.</summary>
    private readonly record struct Word(string Text, int Start, int End);

    private static List<Word> Words(string text) =>
        WordPattern().Matches(text).Select(m => new Word(FoldWord(m.Value), m.Index, m.Index + m.Length)).ToList();

    private static string FoldWord(string word) =>
        word.ToLowerInvariant().Replace('أ', 'ا').Replace('إ', 'ا').Replace('آ', 'ا').Replace('ى', 'ي').Replace('ة', 'ه');

    /// <summary>The words of a text joined by single spaces, with a space at each end so whole words can be looked for.</summary>
    private static string WordText(string text) => $" {string.Join(' ', Words(Folded(text)).Select(w => w.Text))} ";

    private static string Clip(string text)
    {
        string line = text.ReplaceLineEndings(" ");
        return line.Length > 80 ? line[..79] + "…" : line;
    }

    /// <summary>
    /// The months and weekdays a text names, by a key that is the same in English and Arabic ("w5" for Friday and
    /// الجمعة, "m3" for March and مارس, "m3d3" for March 3, "h9" for Ramadan), each with the words as written.
    /// </summary>
    private static Dictionary<string, string> DatesOf(string text)
    {
        string plain = Folded(EmailAddress().Replace(Links().Replace(text, " "), " "));
        var dates = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in EnglishDates().Matches(plain).Concat(ArabicDates().Matches(plain)))
        {
            if (DateKey(m) is { } key)
            {
                dates.TryAdd(key, m.Value.Trim());
            }
        }
        return dates;
    }

    private static string? DateKey(Match m)
    {
        if (m.Groups["weekday"] is { Success: true } weekday)
        {
            return s_weekdays.TryGetValue(DateWord(weekday.Value), out int day) ? $"w{day}" : null;
        }
        if (!s_months.TryGetValue(DateWord(m.Groups["month"].Value), out string? month))
        {
            return null;
        }
        return m.Groups["day"] is { Success: true } date ? $"{month}d{int.Parse(date.Value, CultureInfo.InvariantCulture)}" : month;
    }

    /// <summary>A month or weekday name as the lookup tables spell it: English cut to three letters, Arabic folded.</summary>
    private static string DateWord(string name)
    {
        string word = string.Join(' ', name.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return word.Length >= 3 && char.IsAsciiLetter(word[0]) ? word[..3].ToLowerInvariant() : FoldWord(word);
    }

    private static readonly Dictionary<string, int> s_weekdays = new(StringComparer.Ordinal)
    {
        ["sun"] = 0, ["mon"] = 1, ["tue"] = 2, ["wed"] = 3, ["thu"] = 4, ["fri"] = 5, ["sat"] = 6,
        ["احد"] = 0, ["اثنين"] = 1, ["ثلاثاء"] = 2, ["اربعاء"] = 3, ["خميس"] = 4, ["جمعه"] = 5, ["سبت"] = 6,
    };

    // Gregorian months ("m") in English, Egyptian/Gulf and Levantine Arabic; Hijri months ("h") whose names are not
    // also everyday words or given names (محرم, صفر, رجب and شعبان are left out).
    private static readonly Dictionary<string, string> s_months = new(StringComparer.Ordinal)
    {
        ["jan"] = "m1", ["feb"] = "m2", ["mar"] = "m3", ["apr"] = "m4", ["may"] = "m5", ["jun"] = "m6",
        ["jul"] = "m7", ["aug"] = "m8", ["sep"] = "m9", ["oct"] = "m10", ["nov"] = "m11", ["dec"] = "m12",
        ["يناير"] = "m1", ["فبراير"] = "m2", ["مارس"] = "m3", ["ابريل"] = "m4", ["مايو"] = "m5", ["يونيو"] = "m6",
        ["يونيه"] = "m6", ["يوليو"] = "m7", ["يوليه"] = "m7", ["اغسطس"] = "m8", ["سبتمبر"] = "m9", ["اكتوبر"] = "m10",
        ["نوفمبر"] = "m11", ["ديسمبر"] = "m12",
        ["كانون الثاني"] = "m1", ["شباط"] = "m2", ["اذار"] = "m3", ["نيسان"] = "m4", ["ايار"] = "m5", ["حزيران"] = "m6",
        ["تموز"] = "m7", ["اب"] = "m8", ["ايلول"] = "m9", ["تشرين الاول"] = "m10", ["تشرين الثاني"] = "m11", ["كانون الاول"] = "m12",
        ["ربيع الاول"] = "h3", ["ربيع الاخر"] = "h4", ["ربيع الثاني"] = "h4", ["جمادي الاولي"] = "h5", ["جمادي الاول"] = "h5",
        ["جمادي الاخره"] = "h6", ["جمادي الثانيه"] = "h6", ["رمضان"] = "h9", ["شوال"] = "h10",
        ["ذو القعده"] = "h11", ["ذي القعده"] = "h11", ["ذو الحجه"] = "h12", ["ذي الحجه"] = "h12",
    };

    private const string EnglishMonth =
        @"(?<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)";

    // "3 March", "3rd of March", "March 3", "Sept. 3rd", a full month name alone (not "May", which is also a verb),
    // and weekdays in any case ("on Friday", "Saturdays"). Month names must be capitalised: "march" is a verb.
    [GeneratedRegex(@"(?<![\w.,])(?<day>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + EnglishMonth + @"\b"
        + @"|\b" + EnglishMonth + @"\.?\s+(?<day>\d{1,2})(?:st|nd|rd|th)?(?![\w.,:]\d|\d)"
        + @"|\b(?<month>January|February|March|April|June|July|August|September|October|November|December)\b"
        + @"|(?i:\b(?<weekday>(?:mon|tues|wednes|thurs|fri|satur|sun)day)s?\b)")]
    private static partial Regex EnglishDates();

    private const string ArabicMonth =
        "(?<month>يناير|فبراير|مارس|[أاإ]بريل|مايو|يوني[وه]|يولي[وه]|[أا]غسطس|سبتمبر|[أا]كتوبر|نوفمبر|ديسمبر"
        + @"|كانون\s+الثاني|كانون\s+ال[أا]ول|تشرين\s+ال[أا]ول|تشرين\s+الثاني|شباط|[آا]ذار|نيسان|[أا]يار|حزيران|تموز|آب|[أا]يلول"
        + @"|ربيع\s+ال[أا]ول|ربيع\s+(?:ال[آا]خر|الثاني)|جماد[ىي]\s+ال[أا]ول[ىي]?|جماد[ىي]\s+(?:ال[آا]خرة|الثانية)"
        + @"|رمضان|شوال|ذ[وي]\s+القعدة|ذ[وي]\s+الحجة)";

    private const string NotLetter = @"(?![\p{L}\p{M}])";

    // Weekdays with the article ("الجمعة", "يوم السبت", "بالخميس"); الاثنين only where it is a day ("يوم الاثنين",
    // "من الاثنين إلى ...", "الاثنين القادم"), since it also means "both". Months alone or with a day ("٣ مارس").
    [GeneratedRegex(@"(?<![\p{L}\p{M}])[وف]?(?:ال|بال|لل|كال)(?<weekday>سبت|[أا]حد|ثلاثاء|[أا]ربعاء|خميس|جمع[ةه])" + NotLetter
        + @"|(?<=(?:يوم|[أا]يام|من|كل|حتى|[إا]لى)\s+)[وف]?(?:ال|بال|لل)(?<weekday>[اإ]ثنين)" + NotLetter
        + @"|(?<![\p{L}\p{M}])[وف]?(?:ال|بال|لل)(?<weekday>[اإ]ثنين)(?=\s+(?:القادم|المقبل|الماضي|[إا]لى|حتى))"
        + @"|(?<![\p{L}\p{M}\d])(?<day>\d{1,2})\s+(?:من\s+)?(?:شهر\s+)?" + ArabicMonth + NotLetter
        + @"|(?<![\p{L}\p{M}])[وبلف]?(?:شهر\s+)?" + ArabicMonth + @"(?:\s+(?<day>\d{1,2})(?!\d))?" + NotLetter)]
    private static partial Regex ArabicDates();

    // What a reply says only when it follows instructions hidden in the lead's message, in English and Arabic
    // (matched against the draft without diacritics).
    [GeneratedRegex("""
        \bsystem\s+prompts?\b
        | \bdeveloper\s+mode\b
        | \bjailbr(?:eak|oken)\w*
        | \bDAN\s+mode\b
        | \bprompt\s+injection\b
        | \b(?:ignore|ignoring|ignored|disregard|disregarding|forget|forgetting)\s+(?:all\s+|any\s+)?(?:(?:the|your|my|previous|prior|above|earlier|preceding|former|original|system|those|these)\s+){1,3}(?:instructions|prompts?|rules|directions|guidelines)\b
        | \b(?:previous|prior|preceding|earlier|original)\s+(?:instructions|prompts?)\b
        | \bas\s+an?\s+(?:ai|artificial\s+intelligence|(?:ai\s+)?(?:large\s+)?language\s+model|llm|ai\s+model|ai\s+assistant|chatbot)\b(?!-)
        | تجاهل\s+(?:(?:جميع|كل|كافة)\s+)?(?:التعليمات|ال[أا]وامر|التوجيهات|القواعد)
        | (?:التعليمات|ال[أا]وامر|التوجيهات)\s+(?:السابقة|ال[أا]صلية)
        | (?:موجه|تعليمات|[أا]وامر|رسالة)\s+النظام
        | وضع\s+المطور
        | كسر\s+الحماية
        | (?:بصفتي|كوني|باعتباري)\s+(?:ذكاءا?\s+اصطناعيا?|نموذجا?\s+لغويا?|نموذج\s+ذكاء\s+اصطناعي|مساعدا?\s+(?:ذكيا?|افتراضيا?)|روبوت)
        | (?<![\p{L}])ك(?:ذكاء\s+اصطناعي|نموذج\s+لغوي)
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Jailbreak();

    // An instruction to whoever answers the message. English verbs count where a command starts (a sentence start,
    // after "please", "and", "you must", "assistant:"), so "Can you confirm ..." is a question, not an instruction,
    // and so is "confirm whether ..."; Arabic ones are specific enough to count anywhere ("وقل إن", "رد بـ", "يرجى تأكيد").
    [GeneratedRegex("""
        (?<=(?:^|[.!?؟:;\n"“«(\-]|\b(?:please|pls|kindly|and|then|also|now|just|always|you\s+(?:must|should|will|need\s+to|have\s+to)|make\s+sure\s+(?:to|you)|be\s+sure\s+to|assistant|ai|bot|chatbot)\b[,:]?)\s*)
        (?<cue>
            (?:reply|respond|answer)\s+(?:with|by\s+saying|saying|only\s+with|exactly|that)
          | say | tell\s+(?:me|them|him|her|everyone|people|the\s+\w+)\s+that | write\s+(?:that|this|exactly|the\s+following)
          | include | add | insert | put | paste | confirm(?!\s+(?:whether|if)\b) | mention | promise | guarantee | repeat
          | ignore | disregard | forget | pretend
        )\b
        | (?<![\p{L}])
        (?<cue>
            [وف]?(?:تجاهل|[أا]كد|[أا]كدي|اذكر|[أا]ضف|ضع|كرر)(?![\p{L}])(?!\s+(?:ما\s+)?(?:[إا]ذا|هل)(?![\p{L}]))
          | [وف]?(?:رد|ردي|[أا]جب|[أا]جيبي)\s+(?:ب|فقط(?![\p{L}]))
          | [وف]?(?:قل|قولي|قولوا)\s+(?:[إأا]ن|لهم|للعميل|للعملاء|للجميع)(?![\p{L}])
          | [وف]?(?:اكتب|اكتبي)\s+(?:[أا]ن|[إا]ن|التالي|هذا|هذه)(?![\p{L}])
          | (?:يرجى|الرجاء|رجاء)\s+(?:الرد|ت[أا]كيد|كتابة|[إا]ضافة|ذكر|تجاهل|تكرار)(?![\p{L}])(?!\s+(?:ما\s+)?(?:[إا]ذا|هل)(?![\p{L}]))
        )
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex Instruction();

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")]
    private static partial Regex EmailAddress();

    // Links with a scheme, "www." links, and bare domains with a path or a common top-level domain. The lookbehind
    // skips e-mail addresses (user@host.com), which are not links.
    [GeneratedRegex("""
        https?://[^\s<>"'()\[\]]+
        | (?<![@\w.-])www\.[^\s<>"'()\[\]]+
        | (?<![@\w.-])(?:[a-z0-9-]+\.)+[a-z]{2,24}/[^\s<>"'()\[\]]*
        | (?<![@\w.-])(?:[a-z0-9-]+\.)+(?:com|net|org|io|co|app|dev|ai|me|info|biz|link|site|online|store|shop|xyz|ly|gg|tv)\b
        """, RegexOptions.IgnoreCase | RegexOptions.IgnorePatternWhitespace)]
    internal static partial Regex Links();

    [GeneratedRegex(@"\b(?:ll_[A-Za-z0-9_-]{20,}|sk-[A-Za-z0-9_-]{20,}|SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}|AC[0-9a-f]{32}|xox[abp]-[A-Za-z0-9-]{10,})")]
    private static partial Regex Secret();

    /// <summary>The numbers and phone numbers a text states, normalised so "1,350" equals "1350" and "٣" equals "3".</summary>
    private sealed partial record Facts(HashSet<string> Numbers, HashSet<string> Phones)
    {
        [GeneratedRegex(@"\+?\d[\d \-().]{5,}\d")]
        private static partial Regex PhoneLike();

        [GeneratedRegex(@"\d+(?:[.,:]\d+)*%?")]
        private static partial Regex NumberLike();

        [GeneratedRegex(@"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$")]
        private static partial Regex Thousands();

        public static Facts Of(string text)
        {
            string plain = EmailAddress().Replace(Links().Replace(AsciiDigits(text), " "), " ");
            var phones = new HashSet<string>(StringComparer.Ordinal);
            plain = PhoneLike().Replace(plain, m =>
            {
                string digits = new(m.Value.Where(char.IsAsciiDigit).ToArray());
                if (digits.Length < 7)
                {
                    return m.Value;
                }
                phones.Add(digits);
                return " ";
            });
            var numbers = new HashSet<string>(StringComparer.Ordinal);
            foreach (Match m in NumberLike().Matches(plain))
            {
                bool percent = m.Value.EndsWith('%');
                string value = m.Value.TrimEnd('%').TrimEnd('.', ',', ':');
                if (Thousands().IsMatch(value))
                {
                    value = value.Replace(",", "", StringComparison.Ordinal);
                }
                if (value.All(char.IsAsciiDigit))
                {
                    value = value.TrimStart('0') is { Length: > 0 } trimmed ? trimmed : "0";
                }
                numbers.Add(percent ? value + "%" : value);
            }
            // A number stated plainly is grounded by the same number written as a percentage, not the other way round.
            foreach (string n in numbers.Where(n => n.EndsWith('%')).ToList())
            {
                numbers.Add(n.TrimEnd('%'));
            }
            return new Facts(numbers, phones);
        }

    }

    /// <summary>Arabic-Indic and Persian digits (and the Arabic decimal, thousands and percent signs) as ASCII.</summary>
    private static string AsciiDigits(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            sb.Append(c switch
            {
                >= '٠' and <= '٩' => (char)('0' + (c - '٠')),
                >= '۰' and <= '۹' => (char)('0' + (c - '۰')),
                '٫' => '.',
                '٬' => ',',
                '٪' => '%',
                _ => c,
            });
        }
        return sb.ToString();
    }

    /// <summary>
    /// The text without diacritics and tatweel, digits in ASCII: "أكّد" and "أكد" read the same, as do "٣" and "3".
    /// Letters are kept as written, so "آب" (August) stays apart from "أب".
    /// </summary>
    private static string Folded(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in AsciiDigits(text))
        {
            if (c != 'ـ' && CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                sb.Append(c);
            }
        }
        return sb.ToString();
    }
}
