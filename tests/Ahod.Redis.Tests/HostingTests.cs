using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Ahod.Redis.Tests;

public sealed class HostingTests(RedisFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddRedisClient_registers_a_working_client_and_a_healthy_check_named_after_the_connection()
    {
        await using var provider = BuildServices(redis.ConnectionString);

        var client = provider.GetRequiredService<RedisClient>();
        provider.GetRequiredKeyedService<RedisClient>("cache").ShouldBeSameAs(client);
        await client.PingAsync(Ct);

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        report.Entries.Keys.ShouldBe(["cache"]);
        report.Entries["cache"].Status.ShouldBe(HealthStatus.Healthy);
    }

    [Fact]
    public async Task Health_check_is_unhealthy_within_its_timeout_when_redis_is_down()
    {
        await using var provider = BuildServices($"127.0.0.1:{FreePort.Find()},connectTimeout=10000");

        var started = DateTime.UtcNow;
        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(Ct);

        report.Entries["cache"].Status.ShouldBe(HealthStatus.Unhealthy);
        report.Entries["cache"].Description.ShouldNotBeNull().ShouldContain("did not answer PING within 2 s");
        (DateTime.UtcNow - started).ShouldBeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Health_check_reports_a_failed_login_as_unhealthy()
    {
        var check = new RedisHealthCheck(new RedisClient($"127.0.0.1:{redis.Port},password=wrong"));

        var result = await check.CheckHealthAsync(
            new HealthCheckContext { Registration = new HealthCheckRegistration("cache", check, HealthStatus.Unhealthy, null) }, Ct);

        result.Status.ShouldBe(HealthStatus.Unhealthy);
        result.Description.ShouldNotBeNull().ShouldContain("WRONGPASS");
    }

    [Fact]
    public async Task Provider_disposed_synchronously_disposes_the_client()
    {
        var provider = BuildServices(redis.ConnectionString);
        var client = provider.GetRequiredService<RedisClient>();
        await client.PingAsync(Ct);

        provider.Dispose();

        await Should.ThrowAsync<ObjectDisposedException>(() => client.PingAsync(Ct));
    }

    [Fact]
    public void Missing_connection_string_names_the_configuration_key()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());

        var error = Should.Throw<InvalidOperationException>(() => builder.AddRedisClient("cache"));

        error.Message.ShouldContain("ConnectionStrings:cache");
    }

    [Fact]
    public void Malformed_connection_string_stops_start_up()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:cache", "localhost:6379,nonsense=1")]);

        Should.Throw<FormatException>(() => builder.AddRedisClient("cache"));
    }

    private static ServiceProvider BuildServices(string connectionString)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:cache", connectionString)]);
        builder.AddRedisClient("cache");
        return (ServiceProvider)builder.Services.BuildServiceProvider();
    }
}
