using System.Net;
using System.Net.Sockets;

namespace Leadline.Tests.Infrastructure;

/// <summary>Starts fake provider servers on 127.0.0.1.</summary>
public static class Loopback
{
    /// <summary>Starts <paramref name="listener"/> on a free loopback port and returns its base URL.</summary>
    public static string Start(HttpListener listener)
    {
        // HttpListener cannot bind port 0, so borrow a free port from the operating system first.
        for (int attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                listener.Prefixes.Clear();
                listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                listener.Start();
                return $"http://127.0.0.1:{port}";
            }
            catch (HttpListenerException) when (attempt < 5)
            {
            }
        }
    }
}
