using System.Globalization;
using System.Text;

namespace Leadline.Bench;

/// <summary>One e-mail of the mail bench: whom it is from, its Message-ID, and the ref written into its text.</summary>
public sealed record BenchMail(int Index, string From, string MessageId, string Ref, byte[] Raw);

/// <summary>
/// Builds distinct RFC 5322 messages as a person writes them: each from its own sender (a new lead), with its own
/// Message-ID, a plain-text inquiry and no form-like "Name:" lines, so the intake reads it as a personal e-mail.
/// </summary>
public sealed class MailFactory(string runId)
{
    private static readonly string[] s_firstNames = ["Jordan", "Maya", "Omar", "Lena", "Sam", "Priya", "Diego", "Aisha", "Tom", "Yuki"];
    private static readonly string[] s_lastNames = ["Rivera", "Okafor", "Lindqvist", "Haddad", "Nguyen", "Schmidt", "Costa", "Tanaka"];

    private static readonly (string Subject, string Message)[] s_inquiries =
    [
        ("Quote for a bathroom remodel", "Hi, we want to redo our bathroom next month. Could you send a quote? Budget around $8k."),
        ("Leaking pipe", "Hello, there is water leaking under the kitchen sink. Can someone come this week?"),
        ("Teeth cleaning", "Do you have an appointment for a cleaning next week? I'm a new patient."),
        ("Office space", "We are looking for desks for 3 people from January. What are your monthly prices?"),
        ("Viewing request", "Could we view the apartment on Saturday? We are relocating in two months."),
        ("Question", "What are your opening hours, and do you work on weekends?"),
    ];

    public string RunId => runId;

    public BenchMail Create(string kind, int index)
    {
        string first = s_firstNames[index % s_firstNames.Length];
        string last = s_lastNames[index / s_firstNames.Length % s_lastNames.Length];
        string from = string.Create(CultureInfo.InvariantCulture, $"{first}.{last}.{kind}{index}.{runId}@mail.example.net").ToLowerInvariant();
        string messageId = string.Create(CultureInfo.InvariantCulture, $"bench-{runId}-{kind}-{index}@mail.example.net");
        var (subject, message) = s_inquiries[index % s_inquiries.Length];
        string reference = string.Create(CultureInfo.InvariantCulture, $"{runId}-{kind}-{index}");
        string date = DateTimeOffset.UtcNow.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        // The ref keeps every body distinct, so no fingerprint repeats across messages.
        string raw = $"""
            Return-Path: <{from}>
            From: "{first} {last}" <{from}>
            To: Leads <{MailSetup.User}@leads.example.com>
            Subject: {subject}
            Date: {date}
            Message-ID: <{messageId}>
            MIME-Version: 1.0
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: 8bit

            {message}

            Thanks,
            {first} (ref {reference})

            """;
        return new BenchMail(index, from, messageId, reference, Encoding.UTF8.GetBytes(raw.ReplaceLineEndings("\r\n")));
    }
}
