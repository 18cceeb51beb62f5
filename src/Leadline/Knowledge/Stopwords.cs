namespace Leadline.Knowledge;

/// <summary>
/// Words that say nothing about what a lead asks: function words, greetings and chat filler. Arabic entries are
/// written normalised (<see cref="ArabicStemmer.Normalize"/>), as they are compared after normalisation.
/// </summary>
internal static class Stopwords
{
    public static readonly HashSet<string> English = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "all", "also", "am", "an", "and", "any", "anyone", "anything", "are",
        "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
        "did", "do", "does", "doing", "done", "down", "during", "each", "either", "else", "etc", "ever", "every", "few",
        "for", "from", "further", "get", "gets", "getting", "got", "had", "has", "have", "having", "he", "her", "here",
        "hers", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "let", "lets", "me",
        "might", "more", "most", "much", "many", "must", "my", "myself", "no", "nor", "not", "of", "off", "on", "once",
        "one", "only", "or", "other", "our", "ours", "out", "over", "own", "really", "same", "she", "should", "so",
        "some", "something", "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
        "those", "through", "to", "too", "under", "until", "up", "us", "very", "was", "we", "were", "what", "whats",
        "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "you", "your", "yours",
        // The boilerplate of FAQ questions ("Do you offer ...?", "Do you provide ...?"): it says what kind of question
        // it is, not what it is about, and leads rarely repeat it.
        "offer", "offers", "offering", "provide", "provides", "providing",
        "yourself", "yourselves", "im", "ive", "id", "ill", "dont", "cant", "wont", "isnt", "arent", "doesnt", "didnt",
        "hi", "hello", "hey", "dear", "thanks", "thank", "please", "pls", "plz", "guys", "folks", "team", "want",
        "wanted", "wants", "need", "needed", "needs", "like", "know", "tell", "wondering", "wonder", "question",
        "questions", "ask", "asking", "ok", "okay", "yes", "yeah", "sure", "maybe", "possible", "possibly", "quick",
        "regards", "cheers", "sir", "madam", "someone", "somebody",
        // When and for how much: qualification reads these; they say nothing about which answer the lead needs.
        "budget", "around", "approximately", "approx", "roughly", "max", "maximum", "sometime", "soon", "asap",
        "today", "tomorrow", "tonight", "next", "last", "week", "weeks", "looking", "look", "planning", "ready",
        "hoping", "interested", "january", "february", "march", "april", "june", "july", "august", "september",
        "october", "november", "december",
    };

    public static readonly HashSet<string> Arabic = new(StringComparer.Ordinal)
    {
        "في", "من", "على", "علي", "الى", "الي", "عن", "هل", "ما", "ماذا", "كيف", "متي", "اين", "لماذا", "كم", "و", "او",
        "ثم", "ان", "انا", "انت", "انتم", "نحن", "هو", "هي", "هم", "هذا", "هذه", "ذلك", "تلك", "التي", "الذي", "الذين",
        "مع", "لكم", "لك", "لي", "لنا", "عندكم", "عندك", "عندي", "لديكم", "لديك", "عند", "كل", "اي", "ايش", "وش", "شو",
        "ابغي", "ابي", "اريد", "بدي", "ودي", "السلام", "عليكم", "مرحبا", "اهلا", "شكرا", "لو", "سمحت", "يا", "قد", "لا",
        "نعم", "هناك", "يوجد", "فيه", "كان", "يكون", "تكون", "حول", "بخصوص", "لدي", "ممكن", "الله", "اخي", "اختي",
        "ميزانيه", "الميزانيه", "ميزانيتي", "ميزانيتنا", "حوالي", "تقريبا", "بعد", "قبل", "الجاي", "الجايه", "القادم",
        "القادمه", "بكره", "الحين", "الاسبوع", "اسبوع", "نبي", "نبغي", "ابغا", "احتاج", "نحتاج",
    };
}
