using System.Buffers;
using System.Net;
using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Ahod.Gateway.Proxy;

/// <summary>
/// Tunnels a WebSocket (SignalR hubs): connects to the service first, so a refusal there (401, 404, down)
/// reaches the client as a plain HTTP answer, then accepts the client and pumps frames both ways until either closes.
/// </summary>
public sealed class WebSocketForwarder(ForwarderInvoker invoker, IOptions<GatewayOptions> options, ILogger<WebSocketForwarder> logger)
{
    private const int BufferSize = 16 * 1024;
    private static readonly TimeSpan CloseGrace = TimeSpan.FromSeconds(5);

    /// <summary>What a hub needs to authenticate and attribute the caller; nothing the client could use to impersonate the gateway.</summary>
    private static readonly string[] ForwardedHeaders =
        [HeaderNames.Authorization, HeaderNames.Cookie, HeaderNames.Origin, HeaderNames.UserAgent, HeaderNames.AcceptLanguage];

    public async Task ForwardAsync(HttpContext context, Uri destination, string service)
    {
        var aborted = context.RequestAborted;
        using var upstream = new ClientWebSocket();
        upstream.Options.HttpVersion = HttpVersion.Version11;
        upstream.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        upstream.Options.CollectHttpResponseDetails = true;
        foreach (var protocol in context.WebSockets.WebSocketRequestedProtocols)
        {
            upstream.Options.AddSubProtocol(protocol);
        }

        foreach (var name in ForwardedHeaders)
        {
            if (context.Request.Headers.TryGetValue(name, out var value))
            {
                upstream.Options.SetRequestHeader(name, value.ToString());
            }
        }

        if (context.Connection.RemoteIpAddress is { } remote)
        {
            upstream.Options.SetRequestHeader("X-Forwarded-For", (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString());
        }

        upstream.Options.SetRequestHeader("X-Forwarded-Proto", context.Request.Scheme);
        upstream.Options.SetRequestHeader("X-Forwarded-Host", context.Request.Host.Value);

        var target = new UriBuilder(destination) { Scheme = destination.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        using (var connect = CancellationTokenSource.CreateLinkedTokenSource(aborted))
        {
            connect.CancelAfter(options.Value.Proxy.Timeout);
            try
            {
                await upstream.ConnectAsync(target, invoker.Invoker, connect.Token);
            }
            catch (Exception e) when (!aborted.IsCancellationRequested && e is WebSocketException or HttpRequestException or OperationCanceledException)
            {
                await WriteConnectFailureAsync(context, upstream, e, service, connect.IsCancellationRequested);
                return;
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        using var downstream = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = upstream.SubProtocol });
        await PumpBothWaysAsync(downstream, upstream, aborted);
    }

    private async Task WriteConnectFailureAsync(HttpContext context, ClientWebSocket upstream, Exception e, string service, bool timedOut)
    {
        var status = upstream.HttpStatusCode;
        if ((int)status >= 400)
        {
            // The service answered the handshake with a refusal (401, 403, 404): relay it as it is.
            await GatewayProblems.WriteAsync(context, (int)status, "WebSocket refused", $"The {service} service refused the WebSocket connection.");
            return;
        }

        logger.LogWarning(e, "Opening a WebSocket to {Service} for {Path} failed", service, context.Request.Path);
        await (timedOut
            ? GatewayProblems.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "Service timed out", $"The {service} service did not accept the WebSocket in time.")
            : GatewayProblems.WriteAsync(context, StatusCodes.Status502BadGateway, "Bad gateway", $"The {service} service is unreachable."));
    }

    private static async Task PumpBothWaysAsync(WebSocket client, WebSocket service, CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        var fromClient = PumpAsync(client, service, stop.Token);
        var fromService = PumpAsync(service, client, stop.Token);

        var first = await Task.WhenAny(fromClient, fromService);
        var other = first == fromClient ? fromService : fromClient;
        if (!first.Result)
        {
            // One side vanished without a close handshake: there is nothing left to relay.
            await stop.CancelAsync();
        }
        else if (await Task.WhenAny(other, Task.Delay(CloseGrace, aborted)) != other)
        {
            // The close was relayed; the other side gets a moment to answer it, not forever.
            await stop.CancelAsync();
        }

        await other;
        client.Abort();
        service.Abort();
    }

    /// <summary>True when the source closed cleanly (and the close was passed on); false when either side broke.</summary>
    private static async Task<bool> PumpAsync(WebSocket source, WebSocket destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                var result = await source.ReceiveAsync(buffer.AsMemory(0, BufferSize), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (destination.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await destination.CloseOutputAsync(source.CloseStatus ?? WebSocketCloseStatus.NormalClosure, source.CloseStatusDescription, cancellationToken);
                    }

                    return true;
                }

                await destination.SendAsync(buffer.AsMemory(0, result.Count), result.MessageType, result.EndOfMessage, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            return false;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
