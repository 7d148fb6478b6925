using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ahod.ServiceDefaults;

/// <summary>
/// The .NET Aspire service-defaults template, plus what it lacks and Ahod needs: /health and /alive in every
/// environment, ProblemDetails with the one exception handler (JWT and the internal API key are opt-in calls).
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Ahod's own sources and meters ("Ahod.Payments", "Ahod.Messaging", ...) need no registration.</summary>
    public const string AhodTelemetryWildcard = "Ahod.*";

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();
        builder.AddDefaultHealthChecks();
        builder.Services.AddAhodProblemDetails();
        builder.Services.AddClientAddresses();
        builder.Services.AddServiceDiscovery();

        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var openTelemetry = builder.Services.AddOpenTelemetry();
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_SERVICE_NAME"]))
        {
            // A service run on its own is named after its application, not "unknown_service".
            openTelemetry.ConfigureResource(resource => resource.AddService(builder.Environment.ApplicationName, autoGenerateServiceInstanceId: false));
        }

        openTelemetry
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(AhodTelemetryWildcard))
            .WithTracing(tracing => tracing
                .AddSource(builder.Environment.ApplicationName, AhodTelemetryWildcard)
                // Orchestrators poll /health and /alive every few seconds; those spans would drown real traffic.
                .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = context => !HealthEndpoints.IsHealthPath(context.Request.Path))
                .AddHttpClientInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>Adds the shared middleware (errors to ProblemDetails) and maps /health and /alive.</summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.UseServiceDefaults();
        app.MapDefaultHealthEndpoints();
        return app;
    }
}
