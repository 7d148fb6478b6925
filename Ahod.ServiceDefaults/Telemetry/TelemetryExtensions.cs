using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Ahod.ServiceDefaults;

/// <summary>
/// Traces, metrics and logs on the bare OpenTelemetry SDK: OpenTelemetry.Extensions.Hosting and the
/// instrumentation packages are not available, so the providers are built with <see cref="Sdk"/>
/// and owned by the container, which disposes (and so flushes) them on shutdown.
/// </summary>
internal static class TelemetryExtensions
{
    public const string OtlpEndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceNameKey = "OTEL_SERVICE_NAME";

    public static IHostApplicationBuilder AddAhodTelemetry(this IHostApplicationBuilder builder, ServiceDefaultsOptions options)
    {
        var configuration = builder.Configuration;
        var serviceName = configuration[ServiceNameKey] is { Length: > 0 } name ? name : builder.Environment.ApplicationName;
        var exportOtlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointKey]);

        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        builder.Services.ConfigureOpenTelemetryLoggerProvider(logs =>
        {
            logs.ConfigureResource(resource => ConfigureResource(resource, serviceName));
            if (exportOtlp)
            {
                logs.AddOtlpExporter();
            }
        });

        builder.Services.AddSingleton(_ => BuildTracerProvider(configuration, serviceName, exportOtlp, options));
        builder.Services.AddSingleton(_ => BuildMeterProvider(configuration, serviceName, exportOtlp, options));
        builder.Services.AddHostedService<TelemetryProvidersStarter>();

        return builder;
    }

    /// <summary>
    /// The application name stands in when OTEL_SERVICE_NAME is unset; the environment detector runs
    /// again afterwards so the AppHost's OTEL_RESOURCE_ATTRIBUTES (e.g. service.instance.id) win over generated values.
    /// </summary>
    private static void ConfigureResource(ResourceBuilder resource, string serviceName) =>
        resource.AddService(serviceName).AddEnvironmentVariableDetector();

    private static TracerProvider BuildTracerProvider(
        IConfiguration configuration, string serviceName, bool exportOtlp, ServiceDefaultsOptions options)
    {
        var tracing = Sdk.CreateTracerProviderBuilder()
            // The SDK otherwise reads only environment variables; the app's configuration includes them
            // and also appsettings, so exporter settings and OTEL_RESOURCE_ATTRIBUTES work from either.
            .ConfigureServices(services => services.AddSingleton(configuration))
            .ConfigureResource(resource => ConfigureResource(resource, serviceName))
            .AddSource(TelemetrySources.ActivitySources)
            .AddProcessor(new HealthRequestTraceFilter());

        options.ConfigureTracing?.Invoke(tracing);
        if (exportOtlp)
        {
            tracing.AddOtlpExporter();
        }

        return tracing.Build();
    }

    private static MeterProvider BuildMeterProvider(
        IConfiguration configuration, string serviceName, bool exportOtlp, ServiceDefaultsOptions options)
    {
        var metrics = Sdk.CreateMeterProviderBuilder()
            .ConfigureServices(services => services.AddSingleton(configuration))
            .ConfigureResource(resource => ConfigureResource(resource, serviceName))
            .AddMeter(TelemetrySources.Meters);

        options.ConfigureMetrics?.Invoke(metrics);
        if (exportOtlp)
        {
            metrics.AddOtlpExporter();
        }

        return metrics.Build();
    }
}
