namespace Leadline.Knowledge;

/// <summary>
/// Martin Porter's 1980 stemmer, the one SQLite's <c>porter</c> tokenizer implements, so "cleaning", "cleaned" and
/// "cleans" all become "clean" here as they do in the index. Input is one lower-case ASCII word.
/// </summary>
internal sealed class PorterStemmer
{
    private char[] _b = [];
    private int _k;
    private int _j;

    public static string Stem(string word)
    {
        if (word.Length <= 2)
        {
            return word;
        }
        foreach (char c in word)
        {
            if (c is < 'a' or > 'z')
            {
                return word;
            }
        }
        var stemmer = new PorterStemmer { _b = word.ToCharArray(), _k = word.Length - 1 };
        stemmer.Step1Ab();
        if (stemmer._k > 0)
        {
            stemmer.Step1C();
            stemmer.Step2();
            stemmer.Step3();
            stemmer.Step4();
            stemmer.Step5();
        }
        return new string(stemmer._b, 0, stemmer._k + 1);
    }

    private bool Cons(int i) => _b[i] switch
    {
        'a' or 'e' or 'i' or 'o' or 'u' => false,
        'y' => i == 0 || !Cons(i - 1),
        _ => true,
    };

    /// <summary>The number of vowel-consonant sequences in b[0..j].</summary>
    private int M()
    {
        int n = 0;
        int i = 0;
        while (true)
        {
            if (i > _j) return n;
            if (!Cons(i)) break;
            i++;
        }
        i++;
        while (true)
        {
            while (true)
            {
                if (i > _j) return n;
                if (Cons(i)) break;
                i++;
            }
            i++;
            n++;
            while (true)
            {
                if (i > _j) return n;
                if (!Cons(i)) break;
                i++;
            }
            i++;
        }
    }

    private bool VowelInStem()
    {
        for (int i = 0; i <= _j; i++)
        {
            if (!Cons(i)) return true;
        }
        return false;
    }

    private bool DoubleC(int j) => j >= 1 && _b[j] == _b[j - 1] && Cons(j);

    private bool Cvc(int i) => i >= 2 && Cons(i) && !Cons(i - 1) && Cons(i - 2) && _b[i] is not ('w' or 'x' or 'y');

    private bool Ends(string s)
    {
        int length = s.Length;
        if (length > _k + 1) return false;
        for (int i = 0; i < length; i++)
        {
            if (_b[_k - length + 1 + i] != s[i]) return false;
        }
        _j = _k - length;
        return true;
    }

    private void SetTo(string s)
    {
        int needed = _j + 1 + s.Length;
        if (needed > _b.Length)
        {
            Array.Resize(ref _b, needed);
        }
        for (int i = 0; i < s.Length; i++)
        {
            _b[_j + 1 + i] = s[i];
        }
        _k = _j + s.Length;
    }

    private void R(string s)
    {
        if (M() > 0) SetTo(s);
    }

    private void Step1Ab()
    {
        if (_b[_k] == 's')
        {
            if (Ends("sses")) _k -= 2;
            else if (Ends("ies")) SetTo("i");
            else if (_b[_k - 1] != 's') _k--;
        }
        if (Ends("eed"))
        {
            if (M() > 0) _k--;
        }
        else if ((Ends("ed") || Ends("ing")) && VowelInStem())
        {
            _k = _j;
            if (Ends("at")) SetTo("ate");
            else if (Ends("bl")) SetTo("ble");
            else if (Ends("iz")) SetTo("ize");
            else if (DoubleC(_k))
            {
                _k--;
                if (_b[_k] is 'l' or 's' or 'z') _k++;
            }
            else if (M() == 1 && Cvc(_k)) SetTo("e");
        }
    }

    private void Step1C()
    {
        if (Ends("y") && VowelInStem()) _b[_k] = 'i';
    }

    private void Step2()
    {
        if (_k < 1) return;
        _ = _b[_k - 1] switch
        {
            'a' => Try(("ational", "ate"), ("tional", "tion")),
            'c' => Try(("enci", "ence"), ("anci", "ance")),
            'e' => Try(("izer", "ize")),
            'l' => Try(("bli", "ble"), ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous")),
            'o' => Try(("ization", "ize"), ("ation", "ate"), ("ator", "ate")),
            's' => Try(("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous")),
            't' => Try(("aliti", "al"), ("iviti", "ive"), ("biliti", "ble")),
            'g' => Try(("logi", "log")),
            _ => false,
        };
    }

    private void Step3()
    {
        _ = _b[_k] switch
        {
            'e' => Try(("icate", "ic"), ("ative", ""), ("alize", "al")),
            'i' => Try(("iciti", "ic")),
            'l' => Try(("ical", "ic"), ("ful", "")),
            's' => Try(("ness", "")),
            _ => false,
        };
    }

    /// <summary>Replaces the first suffix that matches (when the stem before it is long enough); later ones are not tried.</summary>
    private bool Try(params (string Suffix, string Replacement)[] rules)
    {
        foreach (var (suffix, replacement) in rules)
        {
            if (Ends(suffix))
            {
                R(replacement);
                return true;
            }
        }
        return false;
    }

    private void Step4()
    {
        if (_k < 1) return;
        bool found = _b[_k - 1] switch
        {
            'a' => Ends("al"),
            'c' => Ends("ance") || Ends("ence"),
            'e' => Ends("er"),
            'i' => Ends("ic"),
            'l' => Ends("able") || Ends("ible"),
            'n' => Ends("ant") || Ends("ement") || Ends("ment") || Ends("ent"),
            'o' => (Ends("ion") && _j >= 0 && _b[_j] is 's' or 't') || Ends("ou"),
            's' => Ends("ism"),
            't' => Ends("ate") || Ends("iti"),
            'u' => Ends("ous"),
            'v' => Ends("ive"),
            'z' => Ends("ize"),
            _ => false,
        };
        if (found && M() > 1)
        {
            _k = _j;
        }
    }

    private void Step5()
    {
        _j = _k;
        if (_b[_k] == 'e')
        {
            int a = M();
            if (a > 1 || (a == 1 && !Cvc(_k - 1))) _k--;
        }
        if (_b[_k] == 'l' && DoubleC(_k) && M() > 1) _k--;
    }
}
