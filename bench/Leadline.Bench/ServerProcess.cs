using System.Globalization;

namespace Leadline.Bench;

/// <summary>
/// Watches the server process through /proc: resident memory every 100 ms (VmRSS), the kernel's own peak
/// (VmHWM, which also catches spikes between samples), and CPU time used while the bench ran.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly double s_ticksPerSecond = 100; // USER_HZ, 100 on every Linux that .NET runs on.

    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;
    private readonly double _cpuAtStart;
    private long _maxRssKb;

    public ServerProcess(int pid)
    {
        _pid = pid;
        StartRssKb = ReadKb("VmRSS") ?? 0;
        _maxRssKb = StartRssKb;
        _cpuAtStart = CpuSeconds() ?? 0;
        _sampler = Task.Run(SampleAsync);
    }

    public int Pid => _pid;
    public long StartRssKb { get; }

    public async Task<ServerStats> StopAsync()
    {
        await _stop.CancelAsync();
        await _sampler;
        long? hwm = ReadKb("VmHWM");
        long? rss = ReadKb("VmRSS");
        double? cpu = CpuSeconds();
        return new ServerStats(
            _pid,
            Mb(StartRssKb),
            rss is long r ? Mb(r) : null,
            Mb(Math.Max(Interlocked.Read(ref _maxRssKb), rss ?? 0)),
            hwm is long h ? Mb(h) : null,
            cpu is double c ? Math.Round(c - _cpuAtStart, 2) : null);
    }

    private async Task SampleAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                if (ReadKb("VmRSS") is long kb && kb > Interlocked.Read(ref _maxRssKb))
                {
                    Interlocked.Exchange(ref _maxRssKb, kb);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by StopAsync.
        }
    }

    private long? ReadKb(string field)
    {
        try
        {
            foreach (string line in File.ReadLines($"/proc/{_pid}/status"))
            {
                if (line.StartsWith(field + ":", StringComparison.Ordinal))
                {
                    string number = line[(field.Length + 1)..].Trim().Split(' ')[0];
                    return long.Parse(number, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
            // The process has exited; there is nothing more to read.
        }
        return null;
    }

    /// <summary>utime + stime of the process, from /proc/PID/stat (fields 14 and 15, after the command name).</summary>
    private double? CpuSeconds()
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{_pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / s_ticksPerSecond;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static double Mb(long kb) => Math.Round(kb / 1024.0, 1);

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync();
            await _sampler;
        }
        _stop.Dispose();
    }
}

/// <summary>Memory in MiB (1024 * 1024 bytes), CPU in seconds.</summary>
public sealed record ServerStats(int Pid, double RssAtStartMb, double? RssAtEndMb, double MaxSampledRssMb, double? PeakRssMb, double? CpuSeconds);
