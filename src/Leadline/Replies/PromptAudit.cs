using System.Text.RegularExpressions;
using Leadline.Observability;
using Leadline.Replies.Llm;

namespace Leadline.Replies;

/// <summary>
/// The <c>reply.model_call</c> audit entry, as the tenant's <c>prompt_audit</c> setting allows: <c>full</c> keeps the
/// exact prompt and raw responses; <c>redacted</c> masks e-mail addresses, phone numbers and the lead's name in them;
/// <c>none</c> keeps only which model answered, the tokens and the outcome.
/// </summary>
public static class PromptAudit
{
    public static object Entry(string mode, ModelTrace trace, ReplyLead lead, Guid messageId, TokenUsage usage, LlmFailure? failure)
    {
        Func<string, string> keep = mode switch
        {
            "none" => _ => "",
            "redacted" => text => Mask(text, lead),
            _ => text => text,
        };
        bool withText = mode != "none";
        return new
        {
            message_id = messageId,
            provider = trace.Provider,
            model = trace.Model,
            route = trace.Route,
            prompt_audit = mode,
            system = withText ? keep(trace.System) : null,
            user = withText ? keep(trace.User) : null,
            responses = withText ? trace.Responses.Select(keep).ToList() : null,
            input_tokens = usage.Input,
            output_tokens = usage.Output,
            failure = failure?.Reason,
            failure_detail = failure?.Detail is { } detail ? Redact.Contacts(detail) : null,
        };
    }

    /// <summary>The text with contact details and the lead's first and last name replaced by placeholders.</summary>
    public static string Mask(string text, ReplyLead lead)
    {
        string masked = Redact.Contacts(text);
        foreach (string? name in new[] { lead.FirstName, lead.LastName })
        {
            if (name is { Length: > 1 } n)
            {
                masked = Regex.Replace(masked, $@"(?<!\w){Regex.Escape(n.Trim())}(?!\w)", "[name]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
            }
        }
        return masked;
    }
}
