using System.Text.RegularExpressions;
using Leadline.Data;
using Leadline.Hosting;
using Leadline.Intake;
using Leadline.Replies;
using Leadline.Tenants;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Leadline.Admin;

/// <summary>The tenant's settings and tone (PRODUCT.md 3, Admin). PUT merges: absent fields stay as they are.</summary>
public static partial class SettingsApi
{
    public static IEndpointRouteBuilder MapSettings(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/admin").RequireTenant().WithTags("Admin")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/settings", GetSettingsAsync).WithName("GetSettings");
        group.MapPut("/settings", PutSettingsAsync).WithName("UpdateSettings")
            .WithSummary("Change settings; absent fields stay unchanged, \"\" clears booking_link, owner_email and reply_from_email.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/usage", async (Tenant tenant, Db db, TimeProvider clock, CancellationToken ct) =>
                TypedResults.Ok(await TenantUsage.ReadAsync(db, tenant, clock.GetUtcNow(), ct)))
            .WithName("GetOwnUsage")
            .WithSummary("This month's leads, messages and model tokens against the monthly token budget.");
        group.MapGet("/tone", GetToneAsync).WithName("GetTone");
        group.MapPut("/tone", PutToneAsync).WithName("UpdateTone")
            .WithSummary("Change the voice, style (friendly, formal or casual) and signature of replies.")
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    [GeneratedRegex("^[A-Za-z]{3}$")]
    private static partial Regex CurrencyPattern();

    [GeneratedRegex("^[a-z]{2}$")]
    private static partial Regex LanguagePattern();

    private static async Task<Ok<SettingsView>> GetSettingsAsync(Tenant tenant, TenantStore store, CancellationToken ct) =>
        TypedResults.Ok(SettingsView.From(await FreshAsync(tenant, store, ct)));

    private static async Task<Results<Ok<SettingsView>, ProblemHttpResult>> PutSettingsAsync(
        SettingsRequest body, Tenant tenant, TenantStore store, Db db, TimeProvider clock, CancellationToken ct)
    {
        Dictionary<string, string[]> errors = Validate(body, tenant.Settings.DefaultCountry);
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        Tenant current = await FreshAsync(tenant, store, ct);
        if (Json.Serialize(Merge(current.Settings, body)) == Json.Serialize(current.Settings))
        {
            return TypedResults.Ok(SettingsView.From(current));
        }
        await ConfigVersions.ChangeSettingsAsync(db, store, clock, tenant.Id, "settings updated", s => Merge(s, body), ct);
        return TypedResults.Ok(SettingsView.From(await FreshAsync(tenant, store, ct)));
    }

    private static async Task<Ok<ToneView>> GetToneAsync(Tenant tenant, TenantStore store, CancellationToken ct) =>
        TypedResults.Ok(ToneView.From(await FreshAsync(tenant, store, ct)));

    private static async Task<Results<Ok<ToneView>, ProblemHttpResult>> PutToneAsync(
        ToneRequest body, Tenant tenant, TenantStore store, Db db, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Style is not null && !ReplyTemplates.Styles.Contains(body.Style))
        {
            errors["style"] = [$"'{body.Style}' is not a style; use one of {string.Join(", ", ReplyTemplates.Styles)}."];
        }
        if (body.Voice is not null && (body.Voice.Trim().Length == 0 || body.Voice.Length > 500))
        {
            errors["voice"] = ["Describe the voice in 1 to 500 characters, e.g. \"friendly, plain-spoken, short sentences\"."];
        }
        if (body.Signature is { Length: > 200 })
        {
            errors["signature"] = ["At most 200 characters; send \"\" to sign with the business name."];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        static TenantSettings Apply(TenantSettings s, ToneRequest b) => s with
        {
            Tone = s.Tone with
            {
                Voice = b.Voice?.Trim() ?? s.Tone.Voice,
                Style = b.Style ?? s.Tone.Style,
                Signature = b.Signature is null ? s.Tone.Signature : b.Signature.Trim() is { Length: > 0 } sig ? sig : null,
            },
        };
        Tenant current = await FreshAsync(tenant, store, ct);
        if (Apply(current.Settings, body).Tone == current.Settings.Tone)
        {
            return TypedResults.Ok(ToneView.From(current));
        }
        await ConfigVersions.ChangeSettingsAsync(db, store, clock, tenant.Id, "tone updated", s => Apply(s, body), ct);
        return TypedResults.Ok(ToneView.From(await FreshAsync(tenant, store, ct)));
    }

    /// <summary>The tenant as stored now: the one bound to the request may come from a cache a few seconds old.</summary>
    internal static async Task<Tenant> FreshAsync(Tenant tenant, TenantStore store, CancellationToken ct) =>
        await store.FindAsync(tenant.Id, ct) ?? tenant;

    private static TenantSettings Merge(TenantSettings s, SettingsRequest b) => s with
    {
        BookingLink = b.BookingLink is null ? s.BookingLink : Blank(b.BookingLink),
        BusinessName = b.BusinessName?.Trim() ?? s.BusinessName,
        Timezone = b.Timezone ?? s.Timezone,
        DefaultCountry = b.DefaultCountry?.ToUpperInvariant() ?? s.DefaultCountry,
        Currency = b.Currency?.ToUpperInvariant() ?? s.Currency,
        Languages = b.Languages?.Distinct().ToList() ?? s.Languages,
        DedupeWindowMin = b.DedupeWindowMin ?? s.DedupeWindowMin,
        AutoReply = b.AutoReply ?? s.AutoReply,
        ConfidenceThreshold = b.ConfidenceThreshold ?? s.ConfidenceThreshold,
        OwnerEmail = b.OwnerEmail is null ? s.OwnerEmail : Blank(b.OwnerEmail)?.ToLowerInvariant(),
        ReplyFromEmail = b.ReplyFromEmail is null ? s.ReplyFromEmail : Blank(b.ReplyFromEmail)?.ToLowerInvariant(),
        Services = b.Services?.Select(x => x.Trim()).Distinct().ToList() ?? s.Services,
        // 0 switches the high-value escalation off again.
        HighValueThreshold = b.HighValueThreshold is null ? s.HighValueThreshold : b.HighValueThreshold > 0 ? b.HighValueThreshold : null,
        // "" goes back to the instance default.
        Engine = b.Engine is null ? s.Engine : Blank(b.Engine)?.ToLowerInvariant(),
        MaxEmailChars = b.MaxEmailChars ?? s.MaxEmailChars,
        Model = b.Model is null ? s.Model : Blank(b.Model),
        FastModel = b.FastModel is null ? s.FastModel : Blank(b.FastModel),
        FastMaxChars = b.FastMaxChars ?? s.FastMaxChars,
        // 0 removes the limit.
        MonthlyTokenBudget = b.MonthlyTokenBudget is null ? s.MonthlyTokenBudget : b.MonthlyTokenBudget > 0 ? b.MonthlyTokenBudget : null,
        ApproveBeforeSend = b.ApproveBeforeSend ?? s.ApproveBeforeSend,
        PromptAudit = b.PromptAudit?.Trim().ToLowerInvariant() ?? s.PromptAudit,
        OwnerPhone = b.OwnerPhone is null ? s.OwnerPhone : Blank(b.OwnerPhone) is { } phone
            ? Phones.ToE164(phone, b.DefaultCountry ?? s.DefaultCountry) : null,
        // "" goes back to the instance's QUIET_HOURS.
        OwnerQuietHours = b.OwnerQuietHours is null ? s.OwnerQuietHours : Blank(b.OwnerQuietHours)?.ToLowerInvariant(),
        BusinessDays = b.BusinessDays?.Select(d => d.Trim().ToLowerInvariant()).Distinct()
            .OrderBy(d => Array.IndexOf(TenantSettings.WeekDays, d)).ToList() ?? s.BusinessDays,
        DayHours = b.DayHours is null ? s.DayHours : QuietHours.TryParse(b.DayHours, out QuietHours? day) ? day.ToString() : s.DayHours,
        EveningHours = b.EveningHours is null ? s.EveningHours : QuietHours.TryParse(b.EveningHours, out QuietHours? evening) ? evening.ToString() : s.EveningHours,
        DialTimeoutSeconds = b.DialTimeoutSeconds ?? s.DialTimeoutSeconds,
        MissedCallMessage = b.MissedCallMessage is null ? s.MissedCallMessage : Blank(b.MissedCallMessage),
        CallQuestions = b.CallQuestions?.Select(q => q.Trim()).ToList() ?? s.CallQuestions,
        AutoCall = b.AutoCall ?? s.AutoCall,
        IntakeRateLimitPerMin = b.IntakeRateLimitPerMin ?? s.IntakeRateLimitPerMin,
        HourlyOutboundCap = b.HourlyOutboundCap ?? s.HourlyOutboundCap,
        FormSenders = b.FormSenders?.Select(x => x.Trim().ToLowerInvariant()).Distinct().ToList() ?? s.FormSenders,
    };

    private static string? Blank(string value) => value.Trim() is { Length: > 0 } v ? v : null;

    internal static Dictionary<string, string[]> Validate(SettingsRequest b, string defaultCountry = "US")
    {
        var errors = new Dictionary<string, string[]>();
        if (b.BookingLink is { Length: > 0 } && (!Uri.TryCreate(b.BookingLink.Trim(), UriKind.Absolute, out Uri? link) || link.Scheme is not ("http" or "https")))
        {
            errors["booking_link"] = [$"'{b.BookingLink}' is not an absolute http(s) URL such as \"https://cal.com/you/intro\"; send \"\" to remove it."];
        }
        if (b.BusinessName is not null && (b.BusinessName.Trim().Length == 0 || b.BusinessName.Length > 200))
        {
            errors["business_name"] = ["Give the name replies use, 1 to 200 characters."];
        }
        if (b.Timezone is not null && !(TimeZoneInfo.TryFindSystemTimeZoneById(b.Timezone, out TimeZoneInfo? zone) && zone.HasIanaId))
        {
            errors["timezone"] = [$"'{b.Timezone}' is not an IANA time zone such as \"America/Chicago\" or \"Asia/Riyadh\"."];
        }
        if (TenantSettings.DefaultCountryError(b.DefaultCountry) is { } country)
        {
            errors["default_country"] = [country];
        }
        if (b.Currency is not null && !CurrencyPattern().IsMatch(b.Currency))
        {
            errors["currency"] = ["Use a three-letter ISO currency code such as \"USD\" or \"SAR\"."];
        }
        if (b.Languages is not null && (b.Languages.Count == 0 || b.Languages.Any(l => l is null || !LanguagePattern().IsMatch(l))))
        {
            errors["languages"] = ["List one or more two-letter lower-case language codes, e.g. [\"en\", \"ar\"]."];
        }
        if (b.DedupeWindowMin is < 0 or > 1440)
        {
            errors["dedupe_window_min"] = ["Give minutes from 0 (off) to 1440 (a day)."];
        }
        if (b.ConfidenceThreshold is { } threshold && (double.IsNaN(threshold) || threshold is < 0 or > 1))
        {
            errors["confidence_threshold"] = ["Give a number from 0 to 1; below it replies use the safe fallback (default 0.35)."];
        }
        if (b.OwnerEmail is { Length: > 0 } && ContactNormalizer.Email(b.OwnerEmail) is null)
        {
            errors["owner_email"] = [$"'{b.OwnerEmail}' is not an e-mail address; send \"\" to remove it."];
        }
        if (b.ReplyFromEmail is { Length: > 0 } && ContactNormalizer.Email(b.ReplyFromEmail) is null)
        {
            errors["reply_from_email"] = [$"'{b.ReplyFromEmail}' is not an e-mail address; send \"\" to remove it."];
        }
        if (b.HighValueThreshold is < 0)
        {
            errors["high_value_threshold"] = ["Give an amount in the tenant's currency above which a lead goes to a person, or 0 to switch it off."];
        }
        if (b.Services is not null && (b.Services.Count > 100 || b.Services.Any(x => string.IsNullOrWhiteSpace(x) || x.Length > 100)))
        {
            errors["services"] = ["List at most 100 services, each 1 to 100 characters, e.g. [\"drain cleaning\"]."];
        }
        if (b.Engine is { Length: > 0 } engine && !Replies.Llm.LlmProviders.All.Contains(engine.Trim().ToLowerInvariant()))
        {
            errors["engine"] = [$"'{engine}' is not one of {string.Join(", ", Replies.Llm.LlmProviders.All)}; send \"\" for the instance default."];
        }
        if (b.MaxEmailChars is < 200 or > 20000)
        {
            errors["max_email_chars"] = [$"Give the longest e-mail reply in characters, from 200 to 20000 (default {TenantSettings.DefaultMaxEmailChars}); a longer draft is replaced by the safe fallback."];
        }
        foreach (var (field, value) in new[] { ("model", b.Model), ("fast_model", b.FastModel) })
        {
            if (value is { Length: > 100 } || value is not null && value.Trim().Any(char.IsWhiteSpace))
            {
                errors[field] = ["Give a model name of at most 100 characters without spaces, e.g. \"gpt-4o-mini\"; send \"\" for the default."];
            }
        }
        if (b.FastMaxChars is < 20 or > 2000)
        {
            errors["fast_max_chars"] = ["Give the longest message the fast model answers, from 20 to 2000 characters (default 160)."];
        }
        if (b.MonthlyTokenBudget is < 0 or > 1_000_000_000_000)
        {
            errors["monthly_token_budget"] = ["Give the tokens a month as a whole number from 1 to 1000000000000, or 0 for no limit."];
        }
        if (b.PromptAudit is { } audit && !TenantSettings.PromptAuditModes.Contains(audit.Trim().ToLowerInvariant()))
        {
            errors["prompt_audit"] = [$"'{audit}' is not one of {string.Join(", ", TenantSettings.PromptAuditModes)}."];
        }
        if (b.OwnerPhone is { Length: > 0 } && Phones.ToE164(b.OwnerPhone, b.DefaultCountry ?? defaultCountry) is null)
        {
            errors["owner_phone"] = [$"'{b.OwnerPhone}' is not a phone number; give it in E.164 form such as \"+15551234567\", or \"\" to remove it."];
        }
        if (b.OwnerQuietHours is { Length: > 0 } quiet && quiet.Trim().ToLowerInvariant() != "off" && !QuietHours.TryParse(quiet, out _))
        {
            errors["owner_quiet_hours"] = [$"'{quiet}' is not a window such as \"22:00-07:00\"; send \"off\" to alert at any hour, or \"\" for the instance's QUIET_HOURS."];
        }
        if (b.BusinessDays is not null && b.BusinessDays.Any(d => d is null || !TenantSettings.WeekDays.Contains(d.Trim().ToLowerInvariant())))
        {
            errors["business_days"] = [$"List days as {string.Join(", ", TenantSettings.WeekDays)}, e.g. [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\"]."];
        }
        foreach (var (field, value, example) in new[] { ("day_hours", b.DayHours, "08:00-18:00"), ("evening_hours", b.EveningHours, "18:00-21:00") })
        {
            if (value is not null && !QuietHours.TryParse(value, out _))
            {
                errors[field] = [$"'{value}' is not a window of local time such as \"{example}\"."];
            }
        }
        if (b.DialTimeoutSeconds is < 5 or > 60)
        {
            errors["dial_timeout_seconds"] = ["Give the seconds the owner's phone rings before the caller gets the message, from 5 to 60 (default 20)."];
        }
        if (b.MissedCallMessage is { Length: > 500 })
        {
            errors["missed_call_message"] = ["Keep the spoken message to 500 characters; send \"\" for the default."];
        }
        if (b.CallQuestions is not null && (b.CallQuestions.Count is 0 or > TenantSettings.MaxCallQuestions
            || b.CallQuestions.Any(q => string.IsNullOrWhiteSpace(q) || q.Length > 300)))
        {
            errors["call_questions"] = [$"List 1 to {TenantSettings.MaxCallQuestions} questions, each 1 to 300 characters, e.g. [\"What service do you need?\"]."];
        }
        if (b.IntakeRateLimitPerMin is < 0 or > 100_000)
        {
            errors["intake_rate_limit_per_min"] = ["Give the intake requests a minute allowed from one sender, from 1 to 100000, or 0 for no limit (default 20)."];
        }
        if (b.HourlyOutboundCap is < 0 or > 10_000_000)
        {
            errors["hourly_outbound_cap"] = ["Give the messages to leads allowed per hour, from 1 to 10000000, or 0 for no cap (default 300)."];
        }
        if (b.FormSenders is not null && (b.FormSenders.Count > 100 || b.FormSenders.Any(x => !IsFormSender(x))))
        {
            errors["form_senders"] = ["List at most 100 senders of form notifications, each an e-mail address or \"@domain\", e.g. [\"noreply@unbounce.com\", \"@forms.example.com\"]."];
        }
        return errors;
    }

    private static bool IsFormSender(string? value)
    {
        string sender = value?.Trim() ?? "";
        return sender.StartsWith('@')
            ? sender.Length > 3 && sender.Length <= 254 && sender.IndexOf('.') > 1 && Uri.CheckHostName(sender[1..]) == UriHostNameType.Dns
            : ContactNormalizer.Email(sender) is not null;
    }
}

public sealed record SettingsRequest(
    string? BookingLink, string? BusinessName, string? Timezone, string? DefaultCountry, string? Currency, List<string>? Languages,
    int? DedupeWindowMin, bool? AutoReply, double? ConfidenceThreshold, string? OwnerEmail, string? ReplyFromEmail, List<string>? Services,
    decimal? HighValueThreshold = null, string? Engine = null, int? MaxEmailChars = null, string? Model = null, string? FastModel = null,
    int? FastMaxChars = null, long? MonthlyTokenBudget = null, bool? ApproveBeforeSend = null, string? PromptAudit = null,
    string? OwnerPhone = null, string? OwnerQuietHours = null, List<string>? BusinessDays = null, string? DayHours = null,
    string? EveningHours = null, int? DialTimeoutSeconds = null, string? MissedCallMessage = null, List<string>? CallQuestions = null,
    bool? AutoCall = null, int? IntakeRateLimitPerMin = null, int? HourlyOutboundCap = null, List<string>? FormSenders = null);

public sealed record SettingsView(
    string BusinessName, string? BookingLink, string Timezone, string DefaultCountry, string Currency, List<string> Languages,
    int? DedupeWindowMin, bool AutoReply, double ConfidenceThreshold, string? OwnerEmail, string? ReplyFromEmail,
    List<string> Services, decimal? HighValueThreshold, string? Engine, int MaxEmailChars, string? Model, string? FastModel,
    int FastMaxChars, long? MonthlyTokenBudget, bool ApproveBeforeSend, string PromptAudit, string? OwnerPhone, string? OwnerQuietHours,
    List<string> BusinessDays, string DayHours, string EveningHours, int DialTimeoutSeconds, string? MissedCallMessage,
    List<string> CallQuestions, bool AutoCall, int IntakeRateLimitPerMin, int HourlyOutboundCap, List<string> FormSenders, int ConfigVersion)
{
    public static SettingsView From(Tenant t)
    {
        TenantSettings s = t.Settings;
        return new(s.BusinessName, s.BookingLink, s.Timezone, s.DefaultCountry, s.Currency, s.Languages, s.DedupeWindowMin,
            s.AutoReply, s.ConfidenceThreshold, s.OwnerEmail, s.ReplyFromEmail, s.Services, s.HighValueThreshold, s.Engine,
            s.MaxEmailChars, s.Model, s.FastModel, s.FastMaxChars, s.MonthlyTokenBudget, s.ApproveBeforeSend, s.PromptAudit,
            s.OwnerPhone, s.OwnerQuietHours, s.BusinessDays, s.DayHours, s.EveningHours, s.DialTimeoutSeconds, s.MissedCallMessage,
            s.CallQuestions, s.AutoCall, s.IntakeRateLimitPerMin, s.HourlyOutboundCap, s.FormSenders, t.ConfigVersion);
    }
}

public sealed record ToneRequest(string? Voice, string? Style, string? Signature);

public sealed record ToneView(string Voice, string Style, string? Signature, int ConfigVersion)
{
    public static ToneView From(Tenant t) => new(t.Settings.Tone.Voice, t.Settings.Tone.Style, t.Settings.Tone.Signature, t.ConfigVersion);
}
