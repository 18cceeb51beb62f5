using System.Text.Json.Serialization;

namespace Leadline.Qualification;

// The wire names are fixed by PRODUCT.md section 5 and the evaluation format, so every member names itself
// explicitly instead of relying on the project's snake_case enum policy ("1_3_months" is not a C# identifier).

/// <summary>When the lead wants the work done, from the earliest target they state. Ordered earliest first.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Timeline>))]
public enum Timeline
{
    [JsonStringEnumMemberName("unknown")] Unknown = 0,
    [JsonStringEnumMemberName("asap")] Asap = 1,
    [JsonStringEnumMemberName("this_week")] ThisWeek = 2,
    [JsonStringEnumMemberName("this_month")] ThisMonth = 3,
    [JsonStringEnumMemberName("1_3_months")] OneToThreeMonths = 4,
    [JsonStringEnumMemberName("3_plus_months")] ThreePlusMonths = 5,
}

[JsonConverter(typeof(JsonStringEnumConverter<Urgency>))]
public enum Urgency
{
    [JsonStringEnumMemberName("low")] Low = 0,
    [JsonStringEnumMemberName("medium")] Medium = 1,
    [JsonStringEnumMemberName("high")] High = 2,
}

[JsonConverter(typeof(JsonStringEnumConverter<Score>))]
public enum Score
{
    [JsonStringEnumMemberName("COLD")] Cold = 0,
    [JsonStringEnumMemberName("WARM")] Warm = 1,
    [JsonStringEnumMemberName("HOT")] Hot = 2,
}

[JsonConverter(typeof(JsonStringEnumConverter<EscalateReason>))]
public enum EscalateReason
{
    [JsonStringEnumMemberName("person_requested")] PersonRequested = 1,
    [JsonStringEnumMemberName("complaint")] Complaint = 2,
}

/// <summary>The codes of PRODUCT.md section 5, for reports and the evaluation.</summary>
public static class QualificationCodes
{
    public static string ToCode(this Timeline value) => value switch
    {
        Timeline.Asap => "asap",
        Timeline.ThisWeek => "this_week",
        Timeline.ThisMonth => "this_month",
        Timeline.OneToThreeMonths => "1_3_months",
        Timeline.ThreePlusMonths => "3_plus_months",
        _ => "unknown",
    };

    public static string ToCode(this Urgency value) => value switch
    {
        Urgency.High => "high",
        Urgency.Medium => "medium",
        _ => "low",
    };

    public static string ToCode(this Score value) => value switch
    {
        Score.Hot => "HOT",
        Score.Warm => "WARM",
        _ => "COLD",
    };

    public static string ToCode(this EscalateReason value) =>
        value == EscalateReason.Complaint ? "complaint" : "person_requested";

    public static Timeline ParseTimeline(string code) => code switch
    {
        "asap" => Timeline.Asap,
        "this_week" => Timeline.ThisWeek,
        "this_month" => Timeline.ThisMonth,
        "1_3_months" => Timeline.OneToThreeMonths,
        "3_plus_months" => Timeline.ThreePlusMonths,
        _ => Timeline.Unknown,
    };
}
