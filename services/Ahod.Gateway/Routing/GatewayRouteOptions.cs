namespace Ahod.Gateway.Routing;

/// <summary>One entry of Gateway:Routes: every path under <see cref="Prefix"/> goes, unchanged, to <see cref="Service"/>.</summary>
public sealed class GatewayRouteOptions
{
    public string Prefix { get; set; } = "";

    /// <summary>Logical name resolved from services:&lt;name&gt;:http:0, as the AppHost injects it.</summary>
    public string Service { get; set; } = "";

    /// <summary>WebSocket upgrades under this prefix are tunnelled to the service (SignalR hubs).</summary>
    public bool WebSockets { get; set; }
}
