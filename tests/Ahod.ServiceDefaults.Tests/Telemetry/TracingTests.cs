using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Ahod.ServiceDefaults.Tests.Telemetry;

public sealed class TracingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HealthRequests_AreNotExported_WhileNormalRequestsAre()
    {
        var exported = new ConcurrentQueue<Activity>();
        await using var service = await KestrelApp.StartAsync(
            app =>
            {
                app.MapDefaultEndpoints();
                app.MapGet("/ping", () => "pong");
            },
            builder =>
            {
                builder.AddServiceDefaults();
                builder.Services.ConfigureOpenTelemetryTracerProvider(tracing =>
                    tracing.AddProcessor(new SimpleActivityExportProcessor(new CollectingExporter(exported))));
            });
        var client = service.CreateClient();
        var port = service.BaseAddress.Port;

        (await client.GetAsync("/health", Ct)).EnsureSuccessStatusCode();
        (await client.GetAsync("/alive", Ct)).EnsureSuccessStatusCode();
        (await client.GetAsync("/ping", Ct)).EnsureSuccessStatusCode();

        // The server span ends just after the response is sent; give it a moment.
        var deadline = Stopwatch.StartNew();
        while (!ServerSpans(exported, port).Any(span => Path(span) == "/ping") && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20, Ct);
        }

        var spans = ServerSpans(exported, port).ToList();
        spans.ShouldContain(span => Path(span) == "/ping");
        spans.ShouldNotContain(span => Path(span) == "/health" || Path(span) == "/alive");
        spans.Single(span => Path(span) == "/ping").GetTagItem("http.route").ShouldBe("/ping");
    }

    private static IEnumerable<Activity> ServerSpans(IEnumerable<Activity> exported, int port) =>
        exported.Where(span => span.Source.Name == "Microsoft.AspNetCore" && span.GetTagItem("server.port") is int p && p == port);

    private static string? Path(Activity span) => span.GetTagItem("url.path") as string;

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
