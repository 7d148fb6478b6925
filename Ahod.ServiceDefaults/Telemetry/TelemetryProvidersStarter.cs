using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Ahod.ServiceDefaults;

/// <summary>
/// Resolving the providers is what starts listening; doing it as a hosted service makes that happen
/// at start-up, before the first request. The container owns and disposes them.
/// </summary>
internal sealed class TelemetryProvidersStarter(TracerProvider tracerProvider, MeterProvider meterProvider) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(tracerProvider);
        GC.KeepAlive(meterProvider);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
