using Ahod.Gateway.Proxy;
using Ahod.Gateway.Routing;

namespace Ahod.Gateway.Docs;

/// <summary>
/// One Swagger UI at /docs listing every routed service's OpenAPI document, each fetched through the gateway
/// at /openapi/{service}/v1.json so the browser never needs to reach a service directly.
/// </summary>
public static class DocsEndpoints
{
    public const string RoutePrefix = "docs";

    public static WebApplication MapDocsEndpoints(this WebApplication app)
    {
        var routes = app.Services.GetRequiredService<RouteTable>();
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = RoutePrefix;
            options.DocumentTitle = "Ahod API";
            foreach (var service in routes.Services)
            {
                options.SwaggerEndpoint($"/openapi/{service}/v1.json", service);
            }
        });

        app.MapGet("/openapi/{service}/v1.json", ForwardDocumentAsync);
        return app;
    }

    private static async Task ForwardDocumentAsync(string service, HttpContext context, RouteTable routes, ServiceDestinations destinations, HttpForwarder forwarder)
    {
        // Only services the route table knows: the path must not become a way to reach arbitrary configured services.
        if (!routes.Services.Contains(service, StringComparer.OrdinalIgnoreCase))
        {
            await GatewayProblems.WriteAsync(context, StatusCodes.Status404NotFound, "Not found", $"No routed service is called '{service}'.");
            return;
        }

        if (destinations.Resolve(service, "/openapi/v1.json", QueryString.Empty) is not { } destination)
        {
            await GatewayProblems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Service not available",
                $"The {service} service is not available in this deployment.");
            return;
        }

        await forwarder.ForwardAsync(context, destination, service);
    }
}
