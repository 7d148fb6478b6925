using Ahod.Gateway.Routing;

namespace Ahod.Gateway.Proxy;

public static class ProxyEndpoints
{
    /// <summary>
    /// The route table is data (Gateway:Routes), so one catch-all endpoint forwards; /internal/* is mapped
    /// explicitly so no route and no path trick can reach the services' internal endpoints.
    /// </summary>
    public static IEndpointRouteBuilder MapProxyEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.Map(RouteTable.InternalPrefix + "/{**rest}", NotRoutedAsync);
        endpoints.Map("{**path}", ForwardAsync);
        return endpoints;
    }

    private static Task NotRoutedAsync(HttpContext context) =>
        GatewayProblems.WriteAsync(context, StatusCodes.Status404NotFound, "Not found", "No route matches this path.");

    private static async Task ForwardAsync(
        HttpContext context, RouteTable routes, ServiceDestinations destinations, HttpForwarder http, WebSocketForwarder webSockets)
    {
        if (routes.Match(context.Request.Path) is not { } route)
        {
            await NotRoutedAsync(context);
            return;
        }

        if (destinations.Resolve(route.Service, context.Request.Path, context.Request.QueryString) is not { } destination)
        {
            context.Response.Headers.RetryAfter = "30";
            await GatewayProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service not available",
                $"The {route.Service} service is not available in this deployment.");
            return;
        }

        if (context.WebSockets.IsWebSocketRequest)
        {
            if (!route.WebSockets)
            {
                await GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, "WebSockets not supported", "This route does not accept WebSocket connections.");
                return;
            }

            await webSockets.ForwardAsync(context, destination, route.Service);
            return;
        }

        await http.ForwardAsync(context, destination, route.Service);
    }
}
