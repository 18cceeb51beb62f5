using System.Xml.Linq;

namespace Leadline.Voice;

/// <summary>
/// TwiML documents for Twilio's voice webhooks: a <c>&lt;Response&gt;</c> of verbs, written with XML escaping so a
/// business name or a question can never break the document.
/// </summary>
public static class Twiml
{
    /// <summary>The language attribute of spoken text: <c>en-US</c> unless the tenant answers in Arabic first.</summary>
    public static string Language(IReadOnlyList<string> languages) => languages.FirstOrDefault() == "ar" ? "ar-SA" : "en-US";

    public static XElement Say(string text, string language) =>
        new("Say", new XAttribute("language", language), text);

    public static XElement Pause(int seconds) => new("Pause", new XAttribute("length", seconds));

    public static XElement Hangup() => new("Hangup");

    public static XElement Redirect(string url) => new("Redirect", new XAttribute("method", "POST"), url);

    /// <summary>Rings <paramref name="number"/> for <paramref name="timeoutSeconds"/>; Twilio then posts the outcome to <paramref name="action"/>.</summary>
    public static XElement Dial(string number, int timeoutSeconds, string action, string? callerId = null) =>
        new("Dial",
            new XAttribute("timeout", timeoutSeconds),
            new XAttribute("action", action),
            new XAttribute("method", "POST"),
            callerId is null ? null : new XAttribute("callerId", callerId),
            new XElement("Number", number));

    /// <summary>Asks by speech; Twilio posts the <c>SpeechResult</c> (or nothing after the timeout) to <paramref name="action"/>.</summary>
    public static XElement GatherSpeech(string action, string language, int timeoutSeconds, params object[] prompts) =>
        new("Gather",
            new XAttribute("input", "speech"),
            new XAttribute("action", action),
            new XAttribute("method", "POST"),
            new XAttribute("language", language),
            new XAttribute("speechTimeout", "auto"),
            new XAttribute("timeout", timeoutSeconds),
            new XAttribute("actionOnEmptyResult", "true"),
            prompts);

    public static IResult Response(params XElement?[] verbs) =>
        Results.Text(Document(verbs), "text/xml; charset=utf-8");

    public static string Document(params XElement?[] verbs) =>
        new XDeclaration("1.0", "UTF-8", null) + new XElement("Response", verbs.Where(v => v is not null)).ToString(SaveOptions.DisableFormatting);
}
