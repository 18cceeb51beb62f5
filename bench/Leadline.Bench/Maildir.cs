using System.Globalization;

namespace Leadline.Bench;

/// <summary>
/// Delivers mail into a Maildir the way an MTA does: the message is written in tmp/, then renamed into new/ in one
/// step, which is the moment it exists for the IMAP server (and for an IDLE client). That moment is the delivery time.
/// </summary>
public sealed class Maildir(string path)
{
    private int _deliveries;

    public string Path => path;

    public bool IsValid => Directory.Exists(System.IO.Path.Combine(path, "tmp")) && Directory.Exists(System.IO.Path.Combine(path, "new"));

    /// <summary>Delivers one message; returns the time just after the rename (the same clock the server stamps leads with).</summary>
    public async Task<DateTimeOffset> DeliverAsync(byte[] raw, CancellationToken ct)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string name = string.Create(CultureInfo.InvariantCulture,
            $"{now.ToUnixTimeSeconds()}.M{now.Ticks / 10 % 1_000_000}P{Environment.ProcessId}Q{Interlocked.Increment(ref _deliveries)}.leadline-bench");
        string temporary = System.IO.Path.Combine(path, "tmp", name);
        await File.WriteAllBytesAsync(temporary, raw, ct);
        File.Move(temporary, System.IO.Path.Combine(path, "new", name));
        return DateTimeOffset.UtcNow;
    }
}
