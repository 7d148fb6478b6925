using System.Net;
using System.Net.Sockets;

namespace Ahod.AppHost.Run;

internal static class Ports
{
    // Outside the kernel's ephemeral range (32768-60999): a server's own outgoing connections can take those.
    private const int First = 61000;
    private const int Last = 64999;
    private static readonly HashSet<int> Handed = [];

    /// <summary>A port free right now and not handed out before by this process.</summary>
    public static int GetFree()
    {
        lock (Handed)
        {
            for (var attempt = 0; attempt < 500; attempt++)
            {
                var port = Random.Shared.Next(First, Last + 1);
                if (!Handed.Contains(port) && IsFree(port))
                {
                    Handed.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free TCP port found in {First}-{Last}.");
    }

    public static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static void EnsureFree(int port, string resource)
    {
        if (!IsFree(port))
        {
            throw new AppHostException($"Port {port} needed by '{resource}' is already in use on 127.0.0.1 (another instance running?).");
        }
    }
}

/// <summary>An expected failure with a one-line message for the console (no stack trace).</summary>
public sealed class AppHostException(string message) : Exception(message);
