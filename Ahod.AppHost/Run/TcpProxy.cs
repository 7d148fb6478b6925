using System.Net;
using System.Net.Sockets;

namespace Ahod.AppHost.Run;

/// <summary>One stable endpoint in front of a project's replicas: each new connection goes to the next replica
/// that accepts it (as Aspire's proxy does), so a dead replica is skipped while it restarts.</summary>
internal sealed class TcpProxy : IDisposable
{
    private readonly TcpListener _listener;
    private readonly int[] _targets;
    private readonly CancellationTokenSource _cts = new();
    private int _next;

    private TcpProxy(int port, int[] targets)
    {
        _listener = new TcpListener(IPAddress.Loopback, port);
        _targets = targets;
    }

    public static TcpProxy Start(int port, int[] targets)
    {
        var proxy = new TcpProxy(port, targets);
        proxy._listener.Start(512);
        _ = proxy.AcceptLoopAsync();
        return proxy;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_cts.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_cts.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_cts.IsCancellationRequested)
            {
                return;
            }

            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(Socket client)
    {
        using (client)
        {
            using var upstream = await ConnectAnyAsync().ConfigureAwait(false);
            if (upstream is null)
            {
                return;
            }

            using var a = new NetworkStream(client, ownsSocket: false);
            using var b = new NetworkStream(upstream, ownsSocket: false);
            var up = CopyAsync(a, upstream, b);
            var down = CopyAsync(b, client, a);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
    }

    private static async Task CopyAsync(NetworkStream from, Socket toSocket, NetworkStream to)
    {
        try
        {
            await from.CopyToAsync(to).ConfigureAwait(false);
            toSocket.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException)
        {
            // One side went away; the other copy ends too.
        }
    }

    private async Task<Socket?> ConnectAnyAsync()
    {
        for (var i = 0; i < _targets.Length; i++)
        {
            var port = _targets[(int)((uint)Interlocked.Increment(ref _next) % _targets.Length)];
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, _cts.Token).ConfigureAwait(false);
                return socket;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException)
            {
                socket.Dispose();
            }
        }

        return null;
    }

    public void Dispose()
    {
        _cts.Cancel();
        _listener.Stop();
        _cts.Dispose();
    }
}
