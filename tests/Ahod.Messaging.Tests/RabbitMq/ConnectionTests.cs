using Ahod.Messaging.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Ahod.Messaging.Tests.RabbitMq;

// The connection and its health check are Aspire's (AddRabbitMQClient, through AddRabbitMQConnection); these prove the
// wiring services use. A refused connect is one attempt, so the unhealthy case answers at once.
public sealed class ConnectionTests(MessagingFixture fixture)
{
    [Fact]
    public async Task HealthCheck_IsHealthyAgainstTheBroker()
    {
        var report = await CheckAsync(fixture.RabbitMqConnectionString);

        report.Entries.ShouldNotBeEmpty();
        report.Status.ShouldBe(HealthStatus.Healthy);
    }

    [Fact]
    public async Task HealthCheck_IsUnhealthyWhenNothingListens()
    {
        // Port 1 on loopback refuses connections at once.
        var report = await CheckAsync("amqp://guest:guest@127.0.0.1:1");

        report.Status.ShouldBe(HealthStatus.Unhealthy);
    }

    private static async Task<HealthReport> CheckAsync(string connectionString)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = connectionString,
        });
        builder.AddRabbitMQConnection("rabbitmq");
        using var host = builder.Build();
        return await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(TestContext.Current.CancellationToken);
    }
}
