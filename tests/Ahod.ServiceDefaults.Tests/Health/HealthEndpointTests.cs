using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ahod.ServiceDefaults.Tests.Health;

public sealed class HealthEndpointTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<KestrelApp> StartServiceAsync(HealthStatus dependencyStatus) =>
        KestrelApp.StartAsync(
            app => app.MapDefaultEndpoints(),
            builder =>
            {
                builder.AddServiceDefaults();
                builder.Services.AddHealthChecks().AddCheck(
                    "paymentsdb",
                    () => new HealthCheckResult(dependencyStatus, "database"));
            });

    [Fact]
    public async Task Health_AllChecksHealthy_Returns200WithEachCheck()
    {
        await using var service = await StartServiceAsync(HealthStatus.Healthy);

        using var response = await service.CreateClient().GetAsync("/health", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        body.RootElement.GetProperty("status").GetString().ShouldBe("Healthy");
        body.RootElement.GetProperty("checks").EnumerateArray()
            .Select(check => check.GetProperty("name").GetString())
            .ShouldBe(["self", "paymentsdb"], ignoreOrder: true);
    }

    [Fact]
    public async Task Health_AnyCheckUnhealthy_Returns503AndNamesIt()
    {
        await using var service = await StartServiceAsync(HealthStatus.Unhealthy);

        using var response = await service.CreateClient().GetAsync("/health", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        body.RootElement.GetProperty("status").GetString().ShouldBe("Unhealthy");
        var database = body.RootElement.GetProperty("checks").EnumerateArray()
            .Single(check => check.GetProperty("name").GetString() == "paymentsdb");
        database.GetProperty("status").GetString().ShouldBe("Unhealthy");
    }

    [Fact]
    public async Task Alive_IgnoresChecksNotTaggedLive()
    {
        await using var service = await StartServiceAsync(HealthStatus.Unhealthy);

        using var response = await service.CreateClient().GetAsync("/alive", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync(Ct);
        body.ShouldContain("self");
        body.ShouldNotContain("paymentsdb");
    }

    [Fact]
    public async Task Health_ThrowingCheck_DoesNotLeakTheExceptionMessage()
    {
        await using var service = await KestrelApp.StartAsync(
            app => app.MapDefaultEndpoints(),
            builder =>
            {
                builder.AddServiceDefaults();
                builder.Services.AddHealthChecks().AddCheck(
                    "cache",
                    () => throw new InvalidOperationException("password=hunter2"));
            });

        using var response = await service.CreateClient().GetAsync("/health", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldNotContain("hunter2");
    }
}
