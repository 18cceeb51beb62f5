using Leadline.Intake;

namespace Leadline.Tenants;

/// <summary>
/// A tenant's business configuration: what the reply engine and the intake rules read. Stored as JSON on the
/// tenant row; every change makes a new config version (PRODUCT.md 2.10).
/// </summary>
public sealed record TenantSettings
{
    public string BusinessName { get; init; } = "";
    public string? BookingLink { get; init; }
    public string Timezone { get; init; } = "UTC";

    /// <summary>The tenant's time zone (UTC should the stored name not be known to this machine).</summary>
    public TimeZoneInfo Zone() => TimeZoneInfo.TryFindSystemTimeZoneById(Timezone, out TimeZoneInfo? zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>The ISO 3166 alpha-2 region whose national numbers leads write without a country code ("US", "SA").</summary>
    public string DefaultCountry { get; init; } = "US";

    /// <summary>
    /// Why <paramref name="code"/> cannot be a default country, or null when it can (or is not given): any region
    /// libphonenumber reads numbers for, in any letter case.
    /// </summary>
    public static string? DefaultCountryError(string? code) => code is null || Phones.IsRegion(code) ? null
        : $"'{code}' is not an ISO 3166 alpha-2 country code that phone numbers can be read in; "
            + "use two letters such as \"US\", \"SA\", \"GB\", \"RU\" or \"NG\".";
    public string Currency { get; init; } = "USD";
    public List<string> Languages { get; init; } = ["en"];
    public int? DedupeWindowMin { get; init; }
    public bool AutoReply { get; init; } = true;
    public double ConfidenceThreshold { get; init; } = 0.35;
    public string? OwnerEmail { get; init; }
    public string? ReplyFromEmail { get; init; }
    public List<string> Services { get; init; } = [];

    /// <summary>The e-mail length limit a tenant has until it sets its own.</summary>
    public const int DefaultMaxEmailChars = 2000;

    /// <summary>The longest e-mail reply, in characters (200 to 20000); a longer draft becomes the safe fallback.</summary>
    public int MaxEmailChars { get; init; } = DefaultMaxEmailChars;

    /// <summary>A stated budget above this amount (tenant currency) sends the conversation to a person; null is off.</summary>
    public decimal? HighValueThreshold { get; init; }

    /// <summary>offline, openai or anthropic; null uses the instance default (LLM_PROVIDER, else a configured provider).</summary>
    public string? Engine { get; init; }
    /// <summary>The strong model for this tenant (overrides OPENAI_MODEL / ANTHROPIC_MODEL); null uses the instance's.</summary>
    public string? Model { get; init; }

    /// <summary>A fast, cheaper model for short, simple messages; null sends every message to the strong model.</summary>
    public string? FastModel { get; init; }

    /// <summary>The longest message (characters) still short enough for the fast model.</summary>
    public int FastMaxChars { get; init; } = 160;

    /// <summary>Model tokens (input + output) the tenant may spend per calendar month in its time zone; null is no limit.</summary>
    public long? MonthlyTokenBudget { get; init; }

    /// <summary>Drafts wait in <c>awaiting_approval</c> until a person approves (or edits) them.</summary>
    public bool ApproveBeforeSend { get; init; }

    /// <summary>
    /// How model prompts and responses are kept in the audit trail: <c>full</c>, <c>redacted</c> (e-mail addresses,
    /// phone numbers and the lead's name masked) or <c>none</c> (only model, token counts and outcome).
    /// </summary>
    public string PromptAudit { get; init; } = "full";

    public static readonly string[] PromptAuditModes = ["full", "redacted", "none"];

    /// <summary>The owner's mobile (E.164): rung first on a daytime missed call, and texted hot-lead and escalation alerts.</summary>
    public string? OwnerPhone { get; init; }

    /// <summary>
    /// When owner SMS alerts wait, e.g. <c>22:00-07:00</c> in the tenant's time zone; <c>off</c> sends at any hour; null
    /// uses the instance's <c>QUIET_HOURS</c>. E-mail alerts are never held.
    /// </summary>
    public string? OwnerQuietHours { get; init; }

    /// <summary>The days the business answers its phone (mon..sun); other days are night mode all day.</summary>
    public List<string> BusinessDays { get; init; } = ["mon", "tue", "wed", "thu", "fri"];

    /// <summary>Day mode (a missed call rings the owner first), local time, e.g. <c>08:00-18:00</c>.</summary>
    public string DayHours { get; init; } = "08:00-18:00";

    /// <summary>Evening mode (straight to the spoken message and text-back), e.g. <c>18:00-21:00</c>; the rest is night.</summary>
    public string EveningHours { get; init; } = "18:00-21:00";

    /// <summary>How long the owner's phone rings before the caller hears the message and gets a text (5 to 60 s).</summary>
    public int DialTimeoutSeconds { get; init; } = 20;

    /// <summary>What a caller hears when nobody answers; null says a short default with the business name.</summary>
    public string? MissedCallMessage { get; init; }

    public static readonly string[] WeekDays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// <summary>The questions an outbound qualification call asks, in order (at most 5).</summary>
    public List<string> CallQuestions { get; init; } =
    [
        "What service do you need?",
        "When would you like the work done?",
        "What budget do you have in mind?",
        "Where is the job?",
        "Are you the person who decides on this?",
    ];

    public const int MaxCallQuestions = 5;

    /// <summary>Call every new lead that gave a phone number and may be contacted, with the qualification questions.</summary>
    public bool AutoCall { get; init; }

    /// <summary>Intake requests a minute accepted from one sending number (or address); more get 429. 0 is no limit.</summary>
    public int IntakeRateLimitPerMin { get; init; } = 20;

    /// <summary>Messages to leads a tenant may send in one clock hour before sending pauses and the operator is alerted; 0 is no cap.</summary>
    public int HourlyOutboundCap { get; init; } = 300;

    /// <summary>
    /// Senders whose mail is a web-form notification (an address, or "@domain" for all of a domain): such mail becomes
    /// a lead with the submitter's details, and is never answered itself, even when it does not look like a form.
    /// </summary>
    public List<string> FormSenders { get; init; } = [];

    public ToneSettings Tone { get; init; } = new();
    public Dictionary<string, string> Templates { get; init; } = [];
}

public sealed record ToneSettings
{
    /// <summary>Free text describing the voice, used by LLM engines.</summary>
    public string Voice { get; init; } = "friendly and concise";

    /// <summary><c>friendly</c>, <c>formal</c> or <c>casual</c>: picks the greeting and call-to-action wording.</summary>
    public string Style { get; init; } = "friendly";

    public string? Signature { get; init; }
}
