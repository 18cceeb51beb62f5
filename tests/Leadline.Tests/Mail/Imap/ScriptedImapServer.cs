using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Leadline.Tests.Mail.Imap;

/// <summary>
/// A loopback IMAP server that answers each command from a script, for what a real server cannot be made to do on
/// demand: no STARTTLS, no LITERAL+, responses arriving in the middle of other commands. Answers name the command
/// (its first word, or two for UID commands) and may use {tag}; commands without a scripted answer get BAD.
/// Synchronising literals are invited with '+'. <see cref="Received"/> holds each command with its literals inline.
/// </summary>
internal sealed class ScriptedImapServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentQueue<string> _received = new();
    private readonly string _greeting;
    private readonly IReadOnlyDictionary<string, string[]> _answers;
    private readonly Task _serving;

    public ScriptedImapServer(string greeting, IReadOnlyDictionary<string, string[]> answers)
    {
        (_greeting, _answers) = (greeting, answers);
        _listener.Start();
        _serving = ServeAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<string> Received => [.. _received];

    private async Task ServeAsync()
    {
        try
        {
            using TcpClient client = await _listener.AcceptTcpClientAsync();
            using NetworkStream stream = client.GetStream();
            await WriteAsync(stream, _greeting);
            while (await ReadCommandAsync(stream) is string command)
            {
                _received.Enqueue(command);
                string[] words = command.Split(' ');
                string tag = words[0];
                string name = words.Length < 2 ? "" : words[1].Equals("UID", StringComparison.OrdinalIgnoreCase) && words.Length > 2
                    ? "UID " + words[2].ToUpperInvariant()
                    : words[1].ToUpperInvariant();
                string[] answer = _answers.TryGetValue(name, out string[]? lines) ? lines : ["{tag} BAD not in the script"];
                foreach (string line in answer)
                {
                    await WriteAsync(stream, line.Replace("{tag}", tag));
                }
                if (name == "LOGOUT")
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
        }
    }

    private static Task WriteAsync(Stream stream, string line) => stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n")).AsTask();

    /// <summary>One command, its literals read and put in place, or null when the client has gone.</summary>
    private static async Task<string?> ReadCommandAsync(Stream stream)
    {
        var command = new List<byte>();
        while (true)
        {
            byte[]? line = await ReadLineAsync(stream);
            if (line is null)
            {
                return null;
            }
            string text = Encoding.UTF8.GetString(line);
            int open = text.LastIndexOf('{');
            if (!text.EndsWith('}') || open < 0)
            {
                command.AddRange(line);
                return Encoding.UTF8.GetString([.. command]);
            }
            string size = text[(open + 1)..^1];
            bool synchronising = !size.EndsWith('+');
            command.AddRange(line.AsSpan(0, Encoding.UTF8.GetByteCount(text[..open])));
            if (synchronising)
            {
                await WriteAsync(stream, "+ go ahead");
            }
            var literal = new byte[int.Parse(size.TrimEnd('+'), CultureInfo.InvariantCulture)];
            await stream.ReadExactlyAsync(literal);
            command.AddRange(Encoding.UTF8.GetBytes("<literal:"));
            command.AddRange(literal);
            command.AddRange(Encoding.UTF8.GetBytes(">"));
        }
    }

    private static async Task<byte[]?> ReadLineAsync(Stream stream)
    {
        var line = new List<byte>();
        var one = new byte[1];
        while (await stream.ReadAsync(one) == 1)
        {
            if (one[0] == '\n')
            {
                return [.. line.Take(line.Count > 0 && line[^1] == '\r' ? line.Count - 1 : line.Count)];
            }
            line.Add(one[0]);
        }
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _serving;
    }
}
