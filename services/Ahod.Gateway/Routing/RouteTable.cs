using Microsoft.Extensions.Options;

namespace Ahod.Gateway.Routing;

public sealed record GatewayRoute(string Name, string Prefix, string Service, bool WebSockets);

/// <summary>Path prefix → logical service, longest prefix first, matched on whole segments (/api/auth never matches /api/authx).</summary>
public sealed class RouteTable
{
    public const string InternalPrefix = "/internal";

    private readonly GatewayRoute[] _routes;

    public RouteTable(IOptions<GatewayOptions> options)
    {
        _routes = options.Value.Routes
            .Select(r => new GatewayRoute(r.Key, r.Value.Prefix, r.Value.Service, r.Value.WebSockets))
            .OrderByDescending(r => r.Prefix.Length)
            .ToArray();
    }

    public IReadOnlyList<GatewayRoute> Routes => _routes;

    /// <summary>Every service some route points at, for the docs page.</summary>
    public IEnumerable<string> Services => _routes.Select(r => r.Service).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal);

    public GatewayRoute? Match(PathString path)
    {
        var value = path.Value ?? "/";
        if (IsUnder(value, InternalPrefix))
        {
            // Service-to-service endpoints live under /internal; no configuration can expose them.
            return null;
        }

        foreach (var route in _routes)
        {
            if (IsUnder(value, route.Prefix))
            {
                return route;
            }
        }

        return null;
    }

    public static bool IsUnder(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (path.Length == prefix.Length || path[prefix.Length] == '/');
}
