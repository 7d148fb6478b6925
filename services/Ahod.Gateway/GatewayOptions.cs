using Ahod.Gateway.RateLimiting;
using Ahod.Gateway.Security;

namespace Ahod.Gateway;

/// <summary>The "Gateway" configuration section; appsettings.json holds the production defaults.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Gateway";

    /// <summary>The one browser origin allowed by CORS (the web app's dev server or its public URL).</summary>
    public string WebOrigin { get; set; } = "http://localhost:5173";

    /// <summary>
    /// The folder of the built web app (<c>web/dist</c>) served at <c>/</c>; relative paths are under the content root.
    /// Empty, or a folder without an <c>index.html</c>, serves no web app (the API still works).
    /// </summary>
    public string? WebRoot { get; set; }

    /// <summary>
    /// The public route table. Named entries, so configuration (Gateway:Routes:&lt;name&gt;:Prefix/Service/WebSockets)
    /// can add a route or repoint one without restating the table; paths are forwarded unchanged.
    /// </summary>
    public Dictionary<string, GatewayRouteOptions> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["auth"] = new() { Prefix = "/api/auth", Service = "identity" },
        ["users"] = new() { Prefix = "/api/users", Service = "identity" },
        ["jwks"] = new() { Prefix = "/.well-known", Service = "identity" },
        ["payments"] = new() { Prefix = "/api/payments", Service = "payments" },
        ["communities"] = new() { Prefix = "/api/communities", Service = "savings" },
        ["loans"] = new() { Prefix = "/api/loans", Service = "savings" },
        ["listings"] = new() { Prefix = "/api/listings", Service = "marketplace" },
        ["requests"] = new() { Prefix = "/api/requests", Service = "marketplace" },
        // Listing images: outside /api, so no token is asked for; the marketplace serves GET only.
        ["media"] = new() { Prefix = "/media", Service = "marketplace" },
        ["conversations"] = new() { Prefix = "/api/conversations", Service = "chat" },
        ["notifications"] = new() { Prefix = "/api/notifications", Service = "chat" },
        ["hubs"] = new() { Prefix = "/hubs", Service = "chat", WebSockets = true },
    };

    public RateLimitOptions RateLimits { get; set; } = new();

    public BodyLimitOptions BodyLimits { get; set; } = new();

    public RequestLimitOptions RequestLimits { get; set; } = new();

    public ProxyOptions Proxy { get; set; } = new();
}
