using System.Globalization;

namespace Leadline.Qualification.Engine;

/// <summary>A number of money or things found in a message, before deciding whether it is a budget.</summary>
internal sealed record Amount(int Start, int End, decimal Value, decimal Scale, string[]? Currency, bool LeadingAnd)
{
    /// <summary>Written with k, m, thousand, million, ألف...: people rarely count things in thousands.</summary>
    public bool Scaled => Scale >= 1000;
}

/// <summary>
/// Reads amounts written in digits ("800,000", "1.5m", "$3,500", "٨٠٠ ألف") or words ("five thousand",
/// "half a million", "خمسة وعشرين ألف", "مليون ونص"), with a currency symbol, code or word on either side.
/// Phone numbers are skipped.
/// </summary>
internal static class AmountScanner
{
    // Larger numbers are no budget (and would overflow decimal arithmetic when multiplied further).
    private const decimal MaxAmount = 1_000_000_000_000m;

    public static List<Amount> Scan(MessageAnalysis a)
    {
        MessageText text = a.Text;
        Words words = a.Words;
        List<Hit> currencies = a.FindCurrencies();
        HashSet<int> phone = PhoneTokens(text);
        var amounts = new List<Amount>();
        for (int i = 0; i < text.Tokens.Count; i++)
        {
            if (phone.Contains(i) || !TryParse(text, words, i, out int last, out decimal value, out decimal scale, out bool leadingAnd))
            {
                continue;
            }
            int start = text.Tokens[i].Start, end = text.Tokens[last].End;
            string[]? currency = null;
            foreach (Hit c in currencies)
            {
                bool before = c.End <= start && IsBlank(text.Text, c.End, start);
                bool after = c.Start >= end && IsBlank(text.Text, end, c.Start);
                if (before || after)
                {
                    currency = words.Currencies.GetValueOrDefault(TextFolding.Key(text.Text.AsSpan(c.Start, c.End - c.Start)));
                    (start, end) = (Math.Min(start, c.Start), Math.Max(end, c.End));
                    break;
                }
            }
            amounts.Add(new Amount(start, end, value, scale, currency, leadingAnd));
            i = last;
        }
        return amounts;
    }

    private static bool IsBlank(string s, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            if (!char.IsWhiteSpace(s[i]))
            {
                return false;
            }
        }
        return to - from <= 2;
    }

    /// <summary>
    /// Parses the run of number tokens starting at <paramref name="first"/> with the usual left-to-right scheme:
    /// units and tens add up, "hundred" multiplies what came before, a scale (thousand, million) closes a group.
    /// </summary>
    private static bool TryParse(MessageText text, Words words, int first, out int last, out decimal value, out decimal scale, out bool leadingAnd)
    {
        decimal total = 0, current = 0, lastScale = 0, fraction = 0;
        bool any = false, pendingAnd = false;
        last = -1;
        leadingAnd = false;
        for (int j = first; j < text.Tokens.Count; j++)
        {
            Token tok = text.Tokens[j];
            if (tok.Kind == TokenKind.Number)
            {
                // Digits never continue a number across "and": "between 2 and 2.5 million", "800k and 1.2m" are two.
                if (any || !TryNumber(text.TokenText(j), out decimal n))
                {
                    break;
                }
                current = n;
                (any, pendingAnd, last) = (true, false, j);
                continue;
            }
            if (tok.Kind != TokenKind.Word)
            {
                break;
            }
            string key = text.TokenKey(j);
            // Arabic joins "and" to the next word: "وعشرين", "ونص", "ومليون".
            if (key.Length > 2 && key[0] == '\u0648' && !IsNumberWord(words, key) && IsNumberWord(words, key[1..]))
            {
                key = key[1..];
                if (any)
                {
                    pendingAnd = true;
                }
                else
                {
                    leadingAnd = true;
                }
            }
            if (words.Multipliers.TryGetValue(key, out decimal mult))
            {
                bool suffix = words.Suffixes.Contains(key);
                if ((suffix && (tok.SpaceBefore || last != j - 1 || text.Tokens[j - 1].Kind != TokenKind.Number))
                    || (pendingAnd && lastScale > 0 && mult >= lastScale))
                {
                    break; // "5 k" is no amount; "مليون ومليون" are two amounts (a range).
                }
                decimal c = current == 0 ? (fraction > 0 ? fraction : 1) : current + fraction;
                if (c * mult > MaxAmount)
                {
                    break; // "hundred hundred hundred..." would overflow; nobody budgets that much
                }
                if (mult >= 1000)
                {
                    (total, current, lastScale) = (total + c * mult, 0, mult);
                }
                else
                {
                    current = c * mult;
                }
                (any, fraction, pendingAnd, last) = (true, 0, false, j);
                continue;
            }
            if (words.Numbers.TryGetValue(key, out decimal v))
            {
                // "twenty five", "two hundred fifty" need no "and"; "3 4" are two numbers.
                // "خمسة عشر" (five ten) is fifteen.
                // A smaller number after a closed thousand continues it: "two thousand five hundred".
                bool joins = !any || pendingAnd || (v < 100 && current > 0 && (current % 100 == 0 || (current < 100 && current % 10 == 0 && v < 10)))
                    || (v == 10 && current > 0 && current < 10) || (current == 0 && lastScale > 0 && v < lastScale);
                if (!joins || (v >= 1000 && current != 0))
                {
                    break;
                }
                if (total + current + v > MaxAmount)
                {
                    break;
                }
                if (v >= 1000)
                {
                    (total, lastScale) = (total + v, v >= 1_000_000 ? 1_000_000 : 1000);
                }
                else
                {
                    current += v;
                }
                (any, pendingAnd, last) = (true, false, j);
                continue;
            }
            if (words.Fractions.TryGetValue(key, out decimal part))
            {
                if (any && pendingAnd && current == 0 && lastScale > 0)
                {
                    total += part * lastScale; // "مليون ونص", "مليون وربع"
                    (pendingAnd, last) = (false, j);
                    continue;
                }
                if (!any || pendingAnd)
                {
                    fraction = part; // "half a million", "نص مليون", "two and a half million"
                    continue;
                }
                break;
            }
            if (words.And.Contains(key) && any && !pendingAnd)
            {
                pendingAnd = true;
                continue;
            }
            if (words.Articles.Contains(key) && j + 1 < text.Tokens.Count && words.Multipliers.ContainsKey(text.TokenKey(j + 1)))
            {
                continue; // "a million", "half a million"
            }
            break;
        }
        value = total + current;
        scale = lastScale;
        return last >= first && value > 0;
    }

    private static bool IsNumberWord(Words words, string key) =>
        words.Numbers.ContainsKey(key) || words.Multipliers.ContainsKey(key) || words.Fractions.ContainsKey(key);

    /// <summary>"800,000" and "1,350" use thousands separators; "1.5" a decimal point; "1.350.000" dots as separators.</summary>
    private static bool TryNumber(ReadOnlySpan<char> s, out decimal n)
    {
        string digits = s.ToString();
        if (digits.Length > 1 && digits[0] == '0' && (digits.Length < 2 || digits[1] != '.'))
        {
            n = 0;
            return false; // a leading zero is a phone number or a code, not an amount
        }
        string[] commaGroups = digits.Split(',');
        if (commaGroups.Length > 1 && commaGroups.Skip(1).All(g => g.Split('.')[0].Length == 3))
        {
            digits = digits.Replace(",", "", StringComparison.Ordinal);
        }
        else if (digits.Count(c => c == '.') > 1)
        {
            digits = digits.Replace(".", "", StringComparison.Ordinal);
        }
        return decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out n) && n <= MaxAmount;
    }

    /// <summary>
    /// Token indexes of phone numbers: "+1 312 555 0142", "(312) 555-0142", "050 123 4567", "0501234567". Two groups
    /// without a leading zero ("3000-5000") stay numbers, as a price range is more likely than a seven-digit phone.
    /// </summary>
    private static HashSet<int> PhoneTokens(MessageText text)
    {
        var result = new HashSet<int>();
        var tokens = text.Tokens;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Kind != TokenKind.Number)
            {
                continue;
            }
            var group = new List<int> { i };
            int j = i + 1;
            bool paren = i > 0 && text.Text[tokens[i - 1].Start] == '(';
            while (j < tokens.Count)
            {
                if (tokens[j].Kind == TokenKind.Number && (tokens[j].Start - tokens[group[^1]].End) <= 1)
                {
                    group.Add(j++);
                }
                else if (tokens[j].Kind == TokenKind.Symbol && text.Text[tokens[j].Start] is '-' or ')' or '.' or '(' && j + 1 < tokens.Count && tokens[j + 1].Kind == TokenKind.Number)
                {
                    paren |= text.Text[tokens[j].Start] == ')';
                    j++;
                }
                else
                {
                    break;
                }
            }
            int digitCount = group.Sum(g => text.TokenText(g).ToString().Count(char.IsDigit));
            bool plus = i > 0 && text.Text[tokens[i - 1].Start] == '+' && tokens[i - 1].End == tokens[i].Start;
            bool zero = group.Exists(g => text.Text[tokens[g].Start] == '0');
            bool isPhone = digitCount >= 7 && !text.TokenText(i).Contains(',')
                && (plus || paren || zero || group.Count >= 3 || (group.Count == 1 && digitCount >= 9));
            if (isPhone)
            {
                for (int k = i; k < j; k++)
                {
                    result.Add(k);
                }
            }
            i = j - 1;
        }
        return result;
    }
}
