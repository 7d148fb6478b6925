using Ahod.Gateway.ReverseProxy;
using Microsoft.Extensions.Options;

namespace Ahod.Gateway.Docs;

/// <summary>
/// One Swagger UI at /docs listing every routed service's OpenAPI document; YARP serves each at
/// /openapi/{service}/v1.json (see <see cref="GatewayProxyConfig.Routes"/>), so the browser never reaches a service directly.
/// </summary>
public static class DocsEndpoints
{
    public const string RoutePrefix = "docs";

    public static WebApplication MapDocsEndpoints(this WebApplication app)
    {
        var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        app.UseSwaggerUI(options =>
        {
            options.RoutePrefix = RoutePrefix;
            options.DocumentTitle = "Ahod API";
            foreach (var service in GatewayProxyConfig.Services(gateway))
            {
                options.SwaggerEndpoint($"/openapi/{service}/v1.json", service);
            }
        });

        return app;
    }
}
