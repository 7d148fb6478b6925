using System.Net.WebSockets;
using System.Text;

namespace Ahod.Gateway.Tests;

/// <summary>The probe behind /hubs/echo echoes every message back.</summary>
public sealed class WebSocketTests(GatewayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task WebSocket_IsTunnelledBothWaysWithItsSubprotocol_AndClosesCleanly()
    {
        using var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("echo.v1");
        var uri = new UriBuilder(fixture.GatewayEndpoint) { Scheme = "ws", Path = "/hubs/echo", Query = "id=42" }.Uri;
        await socket.ConnectAsync(uri, Ct);
        socket.SubProtocol.ShouldBe("echo.v1");

        await socket.SendAsync(Encoding.UTF8.GetBytes("hello"), WebSocketMessageType.Text, endOfMessage: true, Ct);
        var (textType, text) = await ReceiveAsync(socket);
        textType.ShouldBe(WebSocketMessageType.Text);
        Encoding.UTF8.GetString(text).ShouldBe("hello");

        // Larger than one relay buffer, sent in two frames: it must arrive whole and in order.
        var big = Enumerable.Range(0, 100_000).Select(i => (byte)i).ToArray();
        await socket.SendAsync(big.AsMemory(0, 60_000), WebSocketMessageType.Binary, endOfMessage: false, Ct);
        await socket.SendAsync(big.AsMemory(60_000), WebSocketMessageType.Binary, endOfMessage: true, Ct);
        var (type, data) = await ReceiveAsync(socket);
        type.ShouldBe(WebSocketMessageType.Binary);
        data.ShouldBe(big);

        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", Ct);
        socket.State.ShouldBe(WebSocketState.Closed);
        socket.CloseStatus.ShouldBe(WebSocketCloseStatus.NormalClosure);
    }

    [Fact]
    public async Task WebSocket_RefusedByTheService_GetsTheServicesStatus()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(fixture.GatewayEndpoint) { Scheme = "ws", Path = "/hubs/missing" }.Uri;

        await Should.ThrowAsync<WebSocketException>(() => socket.ConnectAsync(uri, Ct));

        socket.HttpStatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WebSocket_ToAServiceNotDeployed_Gets503()
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(fixture.GatewayEndpoint) { Scheme = "ws", Path = "/hubs/ghost" }.Uri;

        await Should.ThrowAsync<WebSocketException>(() => socket.ConnectAsync(uri, Ct));

        socket.HttpStatusCode.ShouldBe(System.Net.HttpStatusCode.ServiceUnavailable);
    }

    private static async Task<(WebSocketMessageType Type, byte[] Data)> ReceiveAsync(WebSocket socket)
    {
        using var message = new MemoryStream();
        var buffer = new byte[8192];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, Ct);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, message.ToArray());
            }
        }
    }
}
