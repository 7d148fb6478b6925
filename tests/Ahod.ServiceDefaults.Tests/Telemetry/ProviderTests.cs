using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Ahod.ServiceDefaults.Tests.Telemetry;

public sealed class ProviderTests
{
    private static Dictionary<string, object> ResourceOf(ClientHost host) =>
        host.Services.GetRequiredService<TracerProvider>().GetResource().Attributes.ToDictionary(a => a.Key, a => a.Value);

    [Fact]
    public void ServiceName_ComesFromOtelServiceName()
    {
        using var host = ClientHost.Create(configuration: new Dictionary<string, string?>
        {
            ["OTEL_SERVICE_NAME"] = "payments",
            ["OTEL_RESOURCE_ATTRIBUTES"] = "service.instance.id=payments-1",
        });

        var resource = ResourceOf(host);

        resource["service.name"].ShouldBe("payments");
        resource["service.instance.id"].ShouldBe("payments-1");
    }

    [Fact]
    public void ServiceName_DefaultsToTheApplicationName()
    {
        using var host = ClientHost.Create();

        ResourceOf(host)["service.name"].ShouldBe("Ahod.ServiceDefaults.Tests");
    }

    [Fact]
    public void OtlpEndpoint_Configured_ProvidersStillBuild()
    {
        using var host = ClientHost.Create(configuration: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:4317",
        });

        host.Services.GetRequiredService<TracerProvider>().ShouldNotBeNull();
        host.Services.GetRequiredService<MeterProvider>().ShouldNotBeNull();
    }

    [Fact]
    public void AhodSources_AreTraced_IncludingServiceSpecificOnes()
    {
        var exported = new ConcurrentQueue<Activity>();
        using var host = ClientHost.Create(builder => builder.Services.ConfigureOpenTelemetryTracerProvider(tracing =>
            tracing.AddProcessor(new SimpleActivityExportProcessor(new CollectingExporter(exported)))));
        host.Services.GetRequiredService<TracerProvider>();
        using var paymentsSource = new ActivitySource("Ahod.Payments");
        using var messagingSource = new ActivitySource("Ahod.Messaging");
        using var otherSource = new ActivitySource("Other.Library");
        var marker = Guid.NewGuid().ToString();

        paymentsSource.StartActivity("payments")?.SetTag("marker", marker).Dispose();
        messagingSource.StartActivity("messaging")?.SetTag("marker", marker).Dispose();
        otherSource.StartActivity("other")?.SetTag("marker", marker).Dispose();

        exported.Where(a => (string?)a.GetTagItem("marker") == marker).Select(a => a.OperationName)
            .ShouldBe(["payments", "messaging"], ignoreOrder: true);
    }

    private sealed class CollectingExporter(ConcurrentQueue<Activity> exported) : BaseExporter<Activity>
    {
        public override ExportResult Export(in Batch<Activity> batch)
        {
            foreach (var activity in batch)
            {
                exported.Enqueue(activity);
            }

            return ExportResult.Success;
        }
    }
}
