using System.Net;
using System.Net.Sockets;

namespace Ahod.Messaging.Tests.Infrastructure;

/// <summary>
/// A port on loopback that refuses connections (bound, not listening) until <see cref="Listen"/>, and from then on
/// forwards every connection to <paramref name="target"/>: a broker that is still booting when a service starts.
/// </summary>
public sealed class LateListener(Uri target) : IAsyncDisposable
{
    private readonly Socket _socket = Bind();
    private readonly CancellationTokenSource _stopping = new();
    private Task _accepting = Task.CompletedTask;

    public int Port => ((IPEndPoint)_socket.LocalEndPoint!).Port;

    /// <summary>The target's URI with this port in place of its own.</summary>
    public string Address => new UriBuilder(target) { Host = "127.0.0.1", Port = Port }.Uri.ToString();

    public void Listen()
    {
        _socket.Listen();
        _accepting = AcceptAsync(_stopping.Token);
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }

    private async Task AcceptAsync(CancellationToken cancellationToken)
    {
        var pipes = new List<Task>();
        try
        {
            while (true)
            {
                var client = await _socket.AcceptAsync(cancellationToken);
                pipes.Add(ForwardAsync(client, cancellationToken));
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(pipes);
    }

    private async Task ForwardAsync(Socket client, CancellationToken cancellationToken)
    {
        using var server = new TcpClient();
        await using var clientStream = new NetworkStream(client, ownsSocket: true);
        try
        {
            await server.ConnectAsync(target.Host, target.Port, cancellationToken);
            await using var serverStream = server.GetStream();
            using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task[] directions = [clientStream.CopyToAsync(serverStream, either.Token), serverStream.CopyToAsync(clientStream, either.Token)];
            // Whichever side closes first ends both directions; both are awaited, so neither is left running or unobserved.
            await Task.WhenAny(directions);
            await either.CancelAsync();
            await Task.WhenAll(directions);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _socket.Dispose();
        await _accepting;
        _stopping.Dispose();
    }
}
