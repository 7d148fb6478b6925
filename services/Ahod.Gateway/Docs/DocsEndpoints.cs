using System.Text.Json.Nodes;
using Ahod.Gateway.ReverseProxy;
using Microsoft.Extensions.Options;
using Scalar.AspNetCore;

namespace Ahod.Gateway.Docs;

/// <summary>
/// The API reference at /docs (Scalar) over the OpenAPI document of each deployed service: a routed service with a
/// <c>services:{name}</c> endpoint configured. Services that are routed but not deployed here are left out, so the page
/// never opens on a document that does not exist. The gateway serves each document at /openapi/{service}/v1.json with
/// itself as the only server, so "try it" calls go through the gateway like any client's, with the bearer token
/// "Authorize" asks for.
/// </summary>
public static class DocsEndpoints
{
    public const string RoutePrefix = "/docs";

    public const string HttpClientName = "Ahod.Gateway.Docs";

    public static string DocumentPath(string service) => $"/openapi/{service}/v1.json";

    public static IServiceCollection AddDocs(this IServiceCollection services)
    {
        // Service discovery and the standard resilience handler come from the service defaults.
        services.AddHttpClient(HttpClientName);
        return services;
    }

    public static WebApplication MapDocsEndpoints(this WebApplication app)
    {
        var gateway = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value;
        var deployed = DeployedServices(gateway, app.Configuration);

        app.MapGet("/openapi/{service}/v1.json", (string service, HttpContext http, IHttpClientFactory clients) =>
            deployed.Contains(service, StringComparer.Ordinal)
                ? ServeDocumentAsync(service, http, clients)
                : GatewayProblems.WriteAsync(http, StatusCodes.Status404NotFound, "Not found", $"No service named '{service}' is deployed here."));

        app.MapScalarApiReference(RoutePrefix, options =>
        {
            options.WithTitle("Ahod API")
                // The page's one inline script carries a fresh nonce, which SecurityHeadersMiddleware allows in its CSP.
                .WithNonce()
                .DisableDefaultFonts()
                .DisableTelemetry()
                .AddPreferredSecuritySchemes("Bearer");
            for (var i = 0; i < deployed.Count; i++)
            {
                options.AddDocument(deployed[i], Title(deployed[i]), DocumentPath(deployed[i]), isDefault: i == 0);
            }
        });

        return app;
    }

    /// <summary>Routed services with an endpoint, in the order the route table first names them (identity first by default).</summary>
    public static IReadOnlyList<string> DeployedServices(GatewayOptions options, IConfiguration configuration) =>
        options.Routes.Values
            .Select(route => route.Service.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .Where(service => configuration.GetSection($"services:{service}").Exists())
            .ToList();

    private static async Task ServeDocumentAsync(string service, HttpContext http, IHttpClientFactory clients)
    {
        JsonNode? document;
        try
        {
            using var client = clients.CreateClient(HttpClientName);
            using var response = await client.GetAsync(new Uri($"https+http://{service}/openapi/v1.json"), http.RequestAborted);
            if (!response.IsSuccessStatusCode)
            {
                await GatewayProblems.WriteAsync(http, StatusCodes.Status502BadGateway, "Bad gateway",
                    $"The {service} service answered {(int)response.StatusCode} for its OpenAPI document.");
                return;
            }

            document = JsonNode.Parse(await response.Content.ReadAsStreamAsync(http.RequestAborted));
        }
        catch (HttpRequestException)
        {
            await GatewayProblems.WriteAsync(http, StatusCodes.Status503ServiceUnavailable, "Service unavailable",
                $"The {service} service cannot be reached for its OpenAPI document.");
            return;
        }

        if (document is not JsonObject root)
        {
            await GatewayProblems.WriteAsync(http, StatusCodes.Status502BadGateway, "Bad gateway", $"The {service} service's OpenAPI document is not a JSON object.");
            return;
        }

        // The service wrote its own (internal) address; a client only ever reaches it through this gateway.
        var request = http.Request;
        root["servers"] = new JsonArray(new JsonObject
        {
            ["url"] = $"{request.Scheme}://{request.Host}{request.PathBase}",
            ["description"] = "The Ahod gateway",
        });
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(root.ToJsonString(), http.RequestAborted);
    }

    private static string Title(string service) => service.Length == 0 ? service : char.ToUpperInvariant(service[0]) + service[1..];
}
