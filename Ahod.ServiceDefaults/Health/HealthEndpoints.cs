using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Ahod.ServiceDefaults;

/// <summary>
/// /health is readiness (every check, 503 when any is unhealthy); /alive is liveness (only checks
/// tagged "live"), so a slow database makes a service unready but never gets it restarted.
/// </summary>
public static class HealthEndpoints
{
    public const string HealthPath = "/health";
    public const string AlivePath = "/alive";
    public const string LiveTag = "live";

    public static IHostApplicationBuilder AddDefaultHealthChecks(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);
        return builder;
    }

    /// <summary>Mapped in every environment: orchestrators probe production too. Anonymous, never cached.</summary>
    public static IEndpointRouteBuilder MapDefaultHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(HealthPath, new HealthCheckOptions
        {
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous().DisableHttpMetrics();

        endpoints.MapHealthChecks(AlivePath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(LiveTag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        }).AllowAnonymous().DisableHttpMetrics();

        return endpoints;
    }

    internal static bool IsHealthPath(string path) =>
        path.Equals(HealthPath, StringComparison.OrdinalIgnoreCase)
        || path.Equals(AlivePath, StringComparison.OrdinalIgnoreCase);
}
