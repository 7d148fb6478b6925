using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Ahod.ServiceDefaults;

/// <summary>Hooks into what <see cref="ServiceDefaultsExtensions.AddServiceDefaults{TBuilder}"/> sets up.</summary>
public sealed class ServiceDefaultsOptions
{
    /// <summary>Runs after the default sources and the health-request filter are added, before the OTLP exporter.</summary>
    public Action<TracerProviderBuilder>? ConfigureTracing { get; set; }

    /// <summary>Runs after the default meters are added, before the OTLP exporter.</summary>
    public Action<MeterProviderBuilder>? ConfigureMetrics { get; set; }
}
