using System.Text.Json;

namespace Leadline.Bench;

/// <summary>
/// Builds distinct leads: unique event ids and e-mail addresses per run, so runs against the same database
/// never collide and the dedupe window never suppresses one of them.
/// </summary>
public sealed class LeadFactory(string runId)
{
    private static readonly string[] s_firstNames = ["Jordan", "Maya", "Omar", "Lena", "Sam", "Priya", "Diego", "Aisha", "Tom", "Yuki"];

    private static readonly (string Subject, string Message)[] s_inquiries =
    [
        ("Quote for a bathroom remodel", "Hi, we want to redo our bathroom next month. Could you send a quote? Budget around $8k."),
        ("Leaking pipe", "There is water leaking under the kitchen sink, can someone come this week?"),
        ("Teeth cleaning", "Do you have an appointment for a cleaning next week? I'm a new patient."),
        ("Office space", "Looking for a desk for 3 people from January. What are your monthly prices?"),
        ("Viewing request", "Could we view the apartment on Saturday? We are relocating in two months."),
        ("Question", "What are your opening hours, and do you work on weekends?"),
    ];

    public string RunId => runId;

    public byte[] Body(string kind, int index)
    {
        var (subject, message) = s_inquiries[index % s_inquiries.Length];
        var lead = new
        {
            event_id = $"bench-{runId}-{kind}-{index}",
            email = $"lead{index}.{kind}.{runId}@bench.example.com",
            first_name = s_firstNames[index % s_firstNames.Length],
            subject,
            // The index keeps bodies distinct too, so no fingerprint repeats even across leads.
            message = $"{message} (ref {Ref(kind, index)})",
        };
        return JsonSerializer.SerializeToUtf8Bytes(lead);
    }

    /// <summary>The reference written into a lead's message; the fake model finds it in the prompt and records it.</summary>
    public string Ref(string kind, int index) => $"{runId}-{kind}-{index}";
}
