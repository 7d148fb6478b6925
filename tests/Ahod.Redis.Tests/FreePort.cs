using System.Net;
using System.Net.Sockets;

namespace Ahod.Redis.Tests;

/// <summary>A loopback port nothing listens on, for "server is down" tests; nothing is started on it.</summary>
public static class FreePort
{
    public static int Find()
    {
        // 61000-64999 stays clear of the kernel's ephemeral range (32768-60999), so an outgoing
        // connection cannot be holding the port we pick.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(61000, 65000);
            try
            {
                var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                listener.Stop();
                return port;
            }
            catch (SocketException)
            {
                // In use; try another.
            }
        }

        throw new InvalidOperationException("No free port found in 61000-64999.");
    }
}
