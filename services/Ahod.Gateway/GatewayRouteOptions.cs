namespace Ahod.Gateway;

/// <summary>One entry of Gateway:Routes: every path under <see cref="Prefix"/> goes, unchanged, to <see cref="Service"/>.</summary>
public sealed class GatewayRouteOptions
{
    public string Prefix { get; set; } = "";

    /// <summary>Logical name resolved by service discovery from services:&lt;name&gt;:http:0, as the AppHost injects it.</summary>
    public string Service { get; set; } = "";

    /// <summary>WebSocket upgrades under this prefix are tunnelled to the service (SignalR hubs).</summary>
    public bool WebSockets { get; set; }
}

public sealed class ProxyOptions
{
    /// <summary>How long a service may stay silent (no response headers, no body bytes) before the caller gets a 504.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
}
