using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Ahod.ServiceDefaults.Tests.Telemetry;

public sealed class OtlpExportTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OtlpEndpointSet_TracesAndLogsReachTheReceiver()
    {
        var received = new ConcurrentQueue<(string Signal, string Body)>();
        // A minimal OTLP/HTTP receiver: protobuf keeps strings as raw UTF-8, enough to find names in the payload.
        await using var receiver = await KestrelApp.StartAsync(app => app.MapPost("/v1/{signal}", async (string signal, HttpContext context) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            received.Enqueue((signal, Encoding.UTF8.GetString(body.ToArray())));
            return Results.Ok();
        }));
        var marker = Guid.NewGuid().ToString("N");
        var service = await KestrelApp.StartAsync(
            app =>
            {
                app.MapDefaultEndpoints();
                app.MapGet("/ping", (ILogger<OtlpExportTests> logger) =>
                {
                    logger.LogWarning("otlp probe {Marker}", marker);
                    return "pong";
                });
            },
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.BaseAddress.ToString().TrimEnd('/'),
                    ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                    ["OTEL_SERVICE_NAME"] = "otlp-probe",
                });
                builder.AddServiceDefaults();
            });
        try
        {
            (await service.CreateClient().GetAsync("/ping", Ct)).EnsureSuccessStatusCode();
        }
        finally
        {
            // Disposing the providers flushes the batch exporters.
            await service.DisposeAsync();
        }

        var deadline = Stopwatch.StartNew();
        while (!(Has("traces", "/ping") && Has("logs", marker)) && deadline.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, Ct);
        }

        Has("traces", "/ping").ShouldBeTrue();
        Has("traces", "otlp-probe").ShouldBeTrue();
        Has("logs", marker).ShouldBeTrue();

        bool Has(string signal, string text) => received.Any(r => r.Signal == signal && r.Body.Contains(text, StringComparison.Ordinal));
    }
}
