using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Ahod.Gateway.ReverseProxy;

/// <summary>Our rules around YARP's forwarding: 503 for a service not deployed, WebSockets only where a route allows them, errors as ProblemDetails.</summary>
internal static class ProxyPipeline
{
    public static void Configure(IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use(WriteForwarderErrorAsync);
        proxy.Use(CheckRouteAsync);
        proxy.UseSessionAffinity();
        proxy.UseLoadBalancing();
        proxy.UsePassiveHealthChecks();
    }

    private static async Task CheckRouteAsync(HttpContext context, Func<Task> next)
    {
        var proxy = context.GetReverseProxyFeature();
        var service = proxy.Cluster.Config.ClusterId;
        if (proxy.AvailableDestinations.Count == 0)
        {
            context.Response.Headers.RetryAfter = "30";
            await GatewayProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service not available",
                $"The {service} service is not available in this deployment.");
            return;
        }

        if (context.WebSockets.IsWebSocketRequest
            && proxy.Route.Config.Metadata?.GetValueOrDefault(GatewayProxyConfig.WebSocketsKey) != "true")
        {
            await GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, "WebSockets not supported",
                "This route does not accept WebSocket connections.");
            return;
        }

        await next();
    }

    /// <summary>YARP sets 502/504/413/400 with an empty body; callers get ProblemDetails like every other error.</summary>
    private static async Task WriteForwarderErrorAsync(HttpContext context, Func<Task> next)
    {
        await next();
        if (context.GetForwarderErrorFeature() is not { } error || context.Response.HasStarted || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        var service = context.GetReverseProxyFeature().Cluster.Config.ClusterId;
        var (status, title, detail) = context.Response.StatusCode switch
        {
            StatusCodes.Status504GatewayTimeout => (StatusCodes.Status504GatewayTimeout, "Service timed out", $"The {service} service did not answer in time."),
            StatusCodes.Status413PayloadTooLarge => (StatusCodes.Status413PayloadTooLarge, "Request body too large", error.Exception?.Message ?? "The request body is too large."),
            >= 400 and < 500 and var code => (code, "Bad request", error.Exception?.Message ?? "The request could not be forwarded."),
            _ => (StatusCodes.Status502BadGateway, "Bad gateway", IsRefused(error.Exception)
                ? $"The {service} service is unreachable."
                : $"The {service} service failed to answer."),
        };
        await GatewayProblems.WriteAsync(context, status, title, detail);
    }

    private static bool IsRefused(Exception? exception) =>
        exception is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } || exception?.InnerException is SocketException;
}
