namespace Leadline.Bench;

/// <summary>Prints a status line to stderr once a second while a phase runs (stdout keeps the report).</summary>
public sealed class Progress(bool quiet) : IDisposable
{
    private readonly Lock _lock = new();
    private Timer? _timer;
    private Func<string>? _status;

    public void Show(Func<string> status)
    {
        if (quiet)
        {
            return;
        }
        lock (_lock)
        {
            _status = status;
            _timer ??= new Timer(_ => Print(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Prints the last status once more and stops.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _timer?.Dispose();
            _timer = null;
        }
        Print();
        lock (_lock)
        {
            _status = null;
        }
    }

    public void Note(string line)
    {
        if (!quiet)
        {
            Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
        }
    }

    private void Print()
    {
        Func<string>? status;
        lock (_lock)
        {
            status = _status;
        }
        if (status is not null)
        {
            Note(status());
        }
    }

    public void Dispose() => _timer?.Dispose();
}
