using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using HandlebarsDotNet;
using Leadline.Knowledge;
using Leadline.Tenants;

namespace Leadline.Replies;

/// <summary>
/// The Handlebars templates replies are rendered with: "reply.{lang}" around a FAQ answer and "fallback.{lang}"
/// for the safe fallback. Tenants may override any of them (PUT through /v1/admin/templates); the defaults here
/// cover English and Arabic. The tone style picks the wording of the greeting, thanks and call to action.
/// </summary>
public static partial class ReplyTemplates
{
    public const string ReplyKind = "reply";
    public const string FallbackKind = "fallback";
    public const string HandoffKind = "handoff";
    public const string MissedCallKind = "missed_call";
    public const int MaxSourceLength = 4000;

    /// <summary>What a template can use. <c>cta</c> is the booking call to action with the link (or, with no link, that a person will follow up).</summary>
    public static readonly string[] Placeholders =
        ["greeting", "first_name", "business_name", "answer", "thanks", "cta", "booking_link", "signature", "handoff"];

    /// <summary>The tone styles, each with its own greeting and call-to-action wording.</summary>
    public static IReadOnlyList<string> Styles => ReplyWording.Styles;

    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        ["reply.en"] = "{{greeting}}\n\n{{answer}}\n\n{{cta}}\n\n{{signature}}",
        ["fallback.en"] = "{{greeting}}\n\n{{thanks}} {{cta}}\n\n{{signature}}",
        ["reply.ar"] = "{{greeting}}\n\n{{answer}}\n\n{{cta}}\n\n{{signature}}",
        ["fallback.ar"] = "{{greeting}}\n\n{{thanks}} {{cta}}\n\n{{signature}}",
        ["handoff.en"] = "{{greeting}}\n\n{{handoff}}\n\n{{answer}}\n\n{{cta}}\n\n{{signature}}",
        ["handoff.ar"] = "{{greeting}}\n\n{{handoff}}\n\n{{answer}}\n\n{{cta}}\n\n{{signature}}",
        ["missed_call.en"] = "{{greeting}}\n\nSorry we missed your call to {{business_name}}! How can we help? {{cta}}",
        ["missed_call.ar"] = "{{greeting}}\n\nنعتذر، فاتتنا مكالمتك إلى {{business_name}}. كيف يمكننا مساعدتك؟ {{cta}}",
    };

    // Replies are plain text, so nothing is HTML-escaped ("Harbor Plumbing & Drain" stays as written).
    private static readonly IHandlebars s_handlebars = Handlebars.Create(new HandlebarsConfiguration { NoEscape = true });
    private static readonly IHandlebars s_strict = Handlebars.Create(
        new HandlebarsConfiguration { NoEscape = true, ThrowOnUnresolvedBindingExpression = true });
    private static readonly ConcurrentDictionary<string, HandlebarsTemplate<object, object>> s_compiled = new();

    [GeneratedRegex(@"^(reply|fallback|handoff|missed_call)\.[a-z]{2}$")]
    private static partial Regex NamePattern();

    [GeneratedRegex(@"\n[ \t]*\n(?:[ \t]*\n)+")]
    private static partial Regex BlankLines();

    /// <summary>The tenant's template for a kind and language, else ours; English when neither knows the language.</summary>
    public static string SourceFor(TenantSettings settings, string kind, string language) =>
        settings.Templates.GetValueOrDefault($"{kind}.{language}")
        ?? Defaults.GetValueOrDefault($"{kind}.{language}")
        ?? settings.Templates.GetValueOrDefault($"{kind}.en")
        ?? Defaults[$"{kind}.en"];

    public static string RenderReply(ReplyContext context, string language, string answer) =>
        Render(SourceFor(context.Tenant.Settings, ReplyKind, language), Model(context.Tenant, language, context.Lead.FirstName, answer));

    /// <summary>The safe fallback: thanks and the booking link, and no facts at all.</summary>
    public static ReplyDraft Fallback(ReplyContext context, string language, double confidence, string engine)
    {
        string text = Render(SourceFor(context.Tenant.Settings, FallbackKind, language), Model(context.Tenant, language, context.Lead.FirstName, ""));
        return new ReplyDraft(text, language, confidence, [], true, engine);
    }

    /// <summary>
    /// The one message a lead gets when their conversation goes to a person: a person will follow up, and the
    /// booking link in the meantime. When the lead also asked something a FAQ answers well
    /// (<paramref name="answered"/>), that answer comes with it, so they need not wait for the person to learn it.
    /// </summary>
    public static ReplyDraft Handoff(ReplyContext context, string language, string engine, FaqMatch? answered = null)
    {
        string answer = answered?.Faq.In(language).Answer ?? "";
        string text = Render(SourceFor(context.Tenant.Settings, HandoffKind, language), Model(context.Tenant, language, context.Lead.FirstName, answer));
        return answered is null
            ? new ReplyDraft(text, language, 0, [], true, engine)
            : new ReplyDraft(text, language, answered.Confidence, [answered.Faq.Reference], false, engine) { Answer = answer };
    }

    /// <summary>
    /// The text a caller gets when nobody answered their call (PRODUCT.md 2.9): sorry we missed you, how can we help,
    /// and the booking link. A fixed template, not a draft: it holds no facts for the guardrails to check.
    /// </summary>
    public static string RenderMissedCall(Tenant tenant, string language, string? firstName) =>
        Render(SourceFor(tenant.Settings, MissedCallKind, language), Model(tenant, language, firstName, ""));

    public static Dictionary<string, object> Model(Tenant tenant, string language, string? firstName, string answer)
    {
        TenantSettings s = tenant.Settings;
        ReplyWording wording = ReplyWording.For(language, s.Tone.Style);
        string business = string.IsNullOrWhiteSpace(s.BusinessName) ? tenant.Name : s.BusinessName.Trim();
        string? name = SafeFirstName(firstName);
        string? link = string.IsNullOrWhiteSpace(s.BookingLink) ? null : s.BookingLink.Trim();
        return new Dictionary<string, object>
        {
            ["greeting"] = name is null ? wording.GreetingNoName : wording.Greeting.Replace("{name}", name),
            ["first_name"] = name ?? "",
            ["business_name"] = business,
            ["answer"] = answer,
            ["thanks"] = wording.Thanks.Replace("{business}", business),
            ["cta"] = link is null ? wording.NoLinkCta : wording.Cta.Replace("{link}", link),
            ["booking_link"] = link ?? "",
            ["signature"] = string.IsNullOrWhiteSpace(s.Tone.Signature) ? business : s.Tone.Signature.Trim(),
            ["handoff"] = wording.Handoff,
        };
    }

    public static string Render(string source, Dictionary<string, object> model)
    {
        if (s_compiled.Count > 1000)
        {
            s_compiled.Clear();
        }
        HandlebarsTemplate<object, object> template = s_compiled.GetOrAdd(source, s_handlebars.Compile);
        return BlankLines().Replace(template(model).Replace("\r\n", "\n"), "\n\n").Trim();
    }

    /// <summary>Problems with a template a tenant wants to save, by field; empty when it is fine.</summary>
    public static Dictionary<string, string[]> Validate(string? name, string? source)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(name) || !NamePattern().IsMatch(name))
        {
            errors["name"] = [$"'{name}' is not a template name; use reply.<lang>, fallback.<lang>, handoff.<lang> or missed_call.<lang>, e.g. \"reply.en\" or \"handoff.ar\"."];
        }
        if (string.IsNullOrWhiteSpace(source))
        {
            errors["source"] = ["The template is empty; write Handlebars text such as \"{{greeting}} {{answer}} {{cta}}\"."];
            return errors;
        }
        if (source.Length > MaxSourceLength)
        {
            errors["source"] = [$"At most {MaxSourceLength} characters (got {source.Length})."];
            return errors;
        }
        if (!Mentions(source, "cta") && !Mentions(source, "booking_link"))
        {
            errors["source"] = ["The template must include the booking link: add {{cta}} (the call to action with the link) or {{booking_link}}."];
            return errors;
        }
        if (name?.StartsWith(ReplyKind + ".", StringComparison.Ordinal) == true && !Mentions(source, "answer"))
        {
            errors["source"] = ["A reply template must include {{answer}}, where the FAQ answer goes."];
            return errors;
        }
        try
        {
            HandlebarsTemplate<object, object> template = s_strict.Compile(source);
            foreach (bool withLink in new[] { true, false })
            {
                template(Sample(withLink));
            }
        }
        // Handlebars.Net reports some malformed blocks ("{{#if}}") as InvalidOperationException and unknown names as
        // an exception outside its own hierarchy; for a tenant's text each of them means "fix the template".
        catch (Exception e) when (e is HandlebarsException or HandlebarsDotNet.Compiler.HandlebarsUndefinedBindingException
                                      or InvalidOperationException or ArgumentException)
        {
            errors["source"] = [$"The template does not compile or render ({e.Message.TrimEnd('.', ' ')}). " +
                $"Check that every {{{{#block}}}} is closed and use only these placeholders: {string.Join(", ", Placeholders)}."];
        }
        return errors;
    }

    private static bool Mentions(string source, string placeholder) =>
        Regex.IsMatch(source, @"\{\{\{?~?\s*" + placeholder + @"\s*~?\}?\}\}");

    private static Dictionary<string, object> Sample(bool withLink) => new()
    {
        ["greeting"] = "Hi Sam,",
        ["first_name"] = "Sam",
        ["business_name"] = "Example Co",
        ["answer"] = "We are open on weekdays.",
        ["thanks"] = "Thanks for reaching out to Example Co!",
        ["cta"] = withLink ? "You can book a time here: https://cal.example/x" : "Someone will follow up shortly.",
        ["booking_link"] = withLink ? "https://cal.example/x" : "",
        ["signature"] = "Example Co",
    };

    /// <summary>
    /// The first word of the lead's name, letters only: the name is the lead's own text, and the greeting must not
    /// carry links or numbers into the reply.
    /// </summary>
    internal static string? SafeFirstName(string? firstName)
    {
        string? word = firstName?.Trim().Split(' ', 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (word is null || word.Length > 40 || !word.All(c => char.IsLetter(c) || c is '-' or '\'' || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark))
        {
            return null;
        }
        return word;
    }
}
