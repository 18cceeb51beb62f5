using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Leadline.Tests.Delivery;

/// <summary>The server end of an SMTP connection: CRLF lines in and out, and a switch to TLS midway.</summary>
internal sealed class SmtpLineConnection(Stream stream)
{
    private Stream _stream = stream;
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    public bool IsTls => _stream is SslStream;

    public async Task StartTlsAsync(X509Certificate2 certificate)
    {
        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = certificate });
        _stream = ssl;
        _start = _end = 0;
    }

    public async Task WriteAsync(string reply)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(reply + "\r\n"));
        await _stream.FlushAsync();
    }

    /// <summary>The next line without its CRLF, or null when the client hung up.</summary>
    public async Task<string?> ReadLineAsync()
    {
        var line = new List<byte>();
        while (true)
        {
            if (_start == _end)
            {
                _start = 0;
                _end = await _stream.ReadAsync(_buffer);
                if (_end == 0)
                {
                    return null;
                }
            }
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            int stop = newline >= 0 ? newline : _end;
            line.AddRange(_buffer.AsSpan(_start, stop - _start));
            _start = newline >= 0 ? newline + 1 : _end;
            if (newline >= 0)
            {
                return Encoding.UTF8.GetString([.. line]).TrimEnd('\r');
            }
        }
    }
}
