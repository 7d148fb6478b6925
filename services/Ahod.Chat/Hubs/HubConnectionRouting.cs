using System.Diagnostics;
using System.Net;
using System.Text.Json;
using IServer = Microsoft.AspNetCore.Hosting.Server.IServer;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using StackExchange.Redis;
using Yarp.ReverseProxy.Forwarder;

namespace Ahod.Chat.Hubs;

/// <summary>
/// Chat's replicas sit behind one endpoint that spreads connections over them, so the requests of one negotiated
/// SignalR connection (the negotiate, the WebSocket after it, and the new WebSocket of a stateful reconnect) can reach
/// different replicas, and SignalR's connections live in the memory of the replica that negotiated them. The replica
/// that answers a negotiate records in Redis (<c>chat:connection:{token}</c>) that the connection is its own, before the
/// client sees the token; a replica that receives a request for a connection it does not own forwards it, WebSocket and
/// all, to the owner. A connection whose owner is gone gets SignalR's own 404, and the client starts a new one.
/// </summary>
internal sealed class HubConnectionRouter(IConnectionMultiplexer redis, IServer server, IHttpForwarder forwarder, ILogger<HubConnectionRouter> logger)
    : IDisposable
{
    /// <summary>Marks a forwarded request, so that it is served where it arrives and never forwarded again.</summary>
    public const string ForwardedHeader = "X-Ahod-Hub-Forwarded";

    /// <summary>How long a connection can be resumed on its owner from another replica (a client reconnects within seconds).</summary>
    private static readonly TimeSpan OwnershipLifetime = TimeSpan.FromDays(1);

    private readonly HttpMessageInvoker _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        ActivityHeadersPropagator = new ReverseProxyPropagator(DistributedContextPropagator.Current),
    });

    private string? _self;

    /// <summary>This replica's own address (not the shared endpoint): the first one the server listens on.</summary>
    private string Self => _self ??= OwnAddress(server.Features.Get<IServerAddressesFeature>()?.Addresses
        ?? throw new InvalidOperationException("The server does not report its addresses."));

    private static RedisKey Key(string token) => $"chat:connection:{token}";

    /// <summary>Runs the negotiate, and before its answer leaves, records that the new connection lives here.</summary>
    public async Task NegotiateAsync(HttpContext context, RequestDelegate next)
    {
        var response = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var body = new MemoryStream();
        var buffered = new StreamResponseBodyFeature(body, response);
        context.Features.Set<IHttpResponseBodyFeature>(buffered);
        try
        {
            await next(context);
            await buffered.CompleteAsync();
        }
        finally
        {
            context.Features.Set(response);
        }

        var answer = body.GetBuffer().AsMemory(0, (int)body.Length);
        if (context.Response.StatusCode == StatusCodes.Status200OK && ConnectionToken(answer.Span) is { } token)
        {
            await redis.GetDatabase().StringSetAsync(Key(token), Self, OwnershipLifetime);
        }

        await response.Writer.WriteAsync(answer, context.RequestAborted);
    }

    /// <summary>A request for connection <paramref name="token"/>: served here if it is ours (or unknown), else forwarded to its owner.</summary>
    public async Task RouteAsync(HttpContext context, string token, RequestDelegate next)
    {
        var owner = (string?)await redis.GetDatabase().StringGetAsync(Key(token));
        if (owner is null || owner == Self)
        {
            await next(context);
            return;
        }

        context.Request.Headers[ForwardedHeader] = "1";
        var error = await forwarder.SendAsync(context, owner, _http, ForwarderRequestConfig.Empty, HttpTransformer.Default);
        if (error != ForwarderError.None)
        {
            // Not the token: with an access token it resumes the connection.
            logger.LogInformation("A hub connection of replica {Owner} could not be forwarded there: {Error}.", owner, error);
            if (!context.Response.HasStarted)
            {
                // What SignalR itself answers for a connection it does not have: the client then starts a new one.
                context.Response.Clear();
                context.Response.StatusCode = StatusCodes.Status404NotFound;
            }
        }
    }

    /// <summary>The token from a negotiate answer: <c>connectionToken</c> (protocol 1), or <c>connectionId</c> (protocol 0).</summary>
    internal static string? ConnectionToken(ReadOnlySpan<byte> negotiateResponse)
    {
        try
        {
            var reader = new Utf8JsonReader(negotiateResponse);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return root.ValueKind != JsonValueKind.Object ? null
                : root.TryGetProperty("connectionToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString()
                : root.TryGetProperty("connectionId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first address the server listens on, a wildcard host replaced by this machine's name.</summary>
    internal static string OwnAddress(ICollection<string> addresses)
    {
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server listens on no address.");
        var uri = new Uri(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" ? Dns.GetHostName() : uri.Host;
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }

    public void Dispose() => _http.Dispose();
}

internal static class HubConnectionRoutingExtensions
{
    public static IServiceCollection AddHubConnectionRouting(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        services.AddSingleton<HubConnectionRouter>();
        return services;
    }

    /// <summary>Before WebSockets and authentication: a forwarded request is authenticated by the replica that serves it.</summary>
    public static IApplicationBuilder UseHubConnectionRouting(this IApplicationBuilder app)
    {
        var router = app.ApplicationServices.GetRequiredService<HubConnectionRouter>();
        return app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments(ChatHub.Path, out var rest) || context.Request.Headers.ContainsKey(HubConnectionRouter.ForwardedHeader))
            {
                await next(context);
            }
            else if (rest == "/negotiate" && HttpMethods.IsPost(context.Request.Method))
            {
                await router.NegotiateAsync(context, next);
            }
            else if (!rest.HasValue && context.Request.Query["id"] is [{ Length: > 0 } token])
            {
                await router.RouteAsync(context, token, next);
            }
            else
            {
                await next(context);
            }
        });
    }
}
