using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ahod.ServiceDefaults;

/// <summary>The one call every Ahod service makes: telemetry, health, resilience, discovery and ProblemDetails.</summary>
public static class ServiceDefaultsExtensions
{
    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder, Action<ServiceDefaultsOptions>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        var options = new ServiceDefaultsOptions();
        configure?.Invoke(options);

        builder.AddAhodTelemetry(options);
        builder.AddDefaultHealthChecks();
        builder.Services.AddAhodProblemDetails();
        builder.Services.AddServiceDiscovery();

        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            // Resilience wraps discovery so every retry attempt resolves the endpoint again.
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>Adds the shared middleware (errors to ProblemDetails, request tagging) and maps /health and /alive.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseServiceDefaults();
        app.MapDefaultHealthEndpoints();
        return app;
    }
}
