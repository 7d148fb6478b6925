using System.Net;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Forwarder;

namespace Ahod.Gateway.ReverseProxy;

/// <summary>
/// YARP's routes and clusters, built from <c>Gateway:Routes</c> so that configuration adds or repoints a route with
/// three keys (<c>Gateway__Routes__{name}__Prefix/Service/WebSockets</c>). Each service is a cluster whose one
/// destination is <c>https+http://{service}</c>, resolved by service discovery; a service without a
/// <c>services:{service}</c> entry (not deployed here) gets a cluster without destinations, answered with 503.
/// </summary>
public static class GatewayProxyConfig
{
    public const string InternalPrefix = "/internal";

    /// <summary>Route metadata: "true" when WebSocket upgrades may pass (SignalR hubs).</summary>
    public const string WebSocketsKey = "Ahod.WebSockets";

    public static IReadOnlyList<RouteConfig> Routes(GatewayOptions options) =>
        options.Routes.Select(route => new RouteConfig
        {
            RouteId = route.Key,
            ClusterId = ClusterId(route.Value.Service),
            // The catch-all is optional: /api/auth and /api/auth/... match, /api/authx does not. Paths go unchanged.
            Match = new RouteMatch { Path = route.Value.Prefix + "/{**rest}" },
            Metadata = new Dictionary<string, string> { [WebSocketsKey] = route.Value.WebSockets ? "true" : "false" },
        }).ToList();

    public static IReadOnlyList<ClusterConfig> Clusters(GatewayOptions options, IConfiguration configuration) =>
        Services(options).Select(service => new ClusterConfig
        {
            ClusterId = service,
            Destinations = configuration.GetSection($"services:{service}").Exists()
                ? new Dictionary<string, DestinationConfig> { [service] = new() { Address = $"https+http://{service}" } }
                : new Dictionary<string, DestinationConfig>(),
            HttpRequest = new ForwarderRequestConfig
            {
                // No response activity for this long → 504. A long download or stream is fine while it moves.
                ActivityTimeout = options.Proxy.Timeout,
                Version = HttpVersion.Version11,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            },
        }).ToList();

    /// <summary>Every service some route points at.</summary>
    public static IEnumerable<string> Services(GatewayOptions options) =>
        options.Routes.Values.Select(route => ClusterId(route.Service)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    private static string ClusterId(string service) => service.ToLowerInvariant();
}
