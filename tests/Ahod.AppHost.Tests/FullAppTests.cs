using System.Net;
using System.Net.Http.Json;
using Ahod.AppHost.Model;
using Ahod.AppHost.Observe;
using Ahod.Testing;
using Npgsql;

namespace Ahod.AppHost.Tests;

/// <summary>PostgreSQL, Redis, RabbitMQ and two projects, started once for this class.</summary>
public sealed class FullAppFixture : IAsyncLifetime
{
    public TestApp App { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        App = await TestApp.StartAsync(b =>
        {
            var postgres = b.AddPostgres("postgres");
            var db = postgres.AddDatabase("probedb");
            var redis = b.AddRedis("redis");
            var rabbit = b.AddRabbitMQ("rabbitmq");
            var other = b.AddProbe("other");
            b.AddProbe("probe")
                .WithReference(db).WithReference(redis).WithReference(rabbit).WithReference(other)
                .WaitFor(postgres).WaitFor(redis).WaitFor(rabbit).WaitFor(other);
        }, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();
}

public sealed class FullAppTests(FullAppFixture fixture) : IClassFixture<FullAppFixture>
{
    private readonly TestApp _app = fixture.App;
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Project_SeesTheAspireEnvironmentContract()
    {
        using var http = _app.CreateHttpClient("probe");
        var env = await http.GetFromJsonAsync<Dictionary<string, string>>("/env", Ct);

        env.ShouldNotBeNull();
        env["ConnectionStrings__probedb"].ShouldBe(_app.GetConnectionString("probedb"));
        env["ConnectionStrings__probedb"].ShouldContain("Database=probedb");
        env["ConnectionStrings__redis"].ShouldMatch(@"^127\.0\.0\.1:\d+,password=[0-9a-f]+$");
        env["ConnectionStrings__rabbitmq"].ShouldMatch(@"^amqp://ahod:[0-9a-f]+@127\.0\.0\.1:\d+$");
        env["services__other__http__0"].ShouldBe(_app.GetEndpoint("other").ToString().TrimEnd('/'));
        env["OTEL_SERVICE_NAME"].ShouldBe("probe");
        env["OTEL_RESOURCE_ATTRIBUTES"].ShouldBe("service.instance.id=probe-0");
        env["ASPNETCORE_URLS"].ShouldBe(_app.GetEndpoint("probe").ToString().TrimEnd('/'));
    }

    [Fact]
    public async Task Postgres_DatabaseWasCreatedAndLoginWorks()
    {
        await using var connection = new NpgsqlConnection(_app.GetConnectionString("probedb"));
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT current_database()", connection);
        (await command.ExecuteScalarAsync(Ct)).ShouldBe("probedb");
    }

    [Fact]
    public async Task Postgres_RejectsAWrongPassword()
    {
        var builder = new NpgsqlConnectionStringBuilder(_app.GetConnectionString("probedb")) { Password = "wrong", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        var error = await Should.ThrowAsync<PostgresException>(() => connection.OpenAsync(Ct));
        error.SqlState.ShouldBe(PostgresErrorCodes.InvalidPassword);
    }

    [Fact]
    public async Task Discovery_ProjectCallsAnotherByLogicalName()
    {
        using var probe = _app.CreateHttpClient("probe");
        using var other = _app.CreateHttpClient("other");
        var otherPid = await other.GetStringAsync("/pid", Ct);

        var viaDiscovery = await probe.GetStringAsync("/call/other", Ct);

        viaDiscovery.ShouldBe(otherPid);
    }

    [Fact]
    public async Task InternalApi_NeedsTheKeyTheAppHostHandsToProjects()
    {
        using var other = _app.CreateHttpClient("other");
        using var probe = _app.CreateHttpClient("probe");

        (await other.GetAsync("/internal/ping", Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/internal/ping") { Headers = { { "X-Ahod-Internal-Key", "guess" } } };
        (await other.SendAsync(wrong, Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await probe.GetStringAsync("/call-internal/other", Ct)).ShouldBe("pong");
    }

    [Fact]
    public async Task Health_TurnsUnhealthyWhenPostgresStops_AndRecovers()
    {
        using var http = _app.CreateHttpClient("probe");
        (await http.GetAsync("/health", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await _app.StopResourceAsync("postgres", Ct);
        try
        {
            using var down = await http.GetAsync("/health", Ct);
            down.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            // Aspire.Npgsql names its data source check "PostgreSql".
            (await down.Content.ReadAsStringAsync(Ct)).ShouldContain("PostgreSql");
            (await http.GetAsync("/alive", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            await _app.StartResourceAsync("postgres", Ct);
        }

        // The pool may hold broken connections for a moment after the restart.
        var healthy = false;
        for (var i = 0; i < 50 && !healthy; i++)
        {
            healthy = (await http.GetAsync("/health", Ct)).StatusCode == HttpStatusCode.OK;
            if (!healthy)
            {
                await Task.Delay(200, Ct);
            }
        }

        healthy.ShouldBeTrue();
    }

    [Fact]
    public async Task KilledProject_IsRestartedWithBackoffAndHealthyAgain()
    {
        using var http = _app.CreateHttpClient("other");
        var before = int.Parse(await http.GetStringAsync("/pid", Ct), System.Globalization.CultureInfo.InvariantCulture);

        var killed = _app.App.KillProjectReplica("other");

        killed.ShouldBe(before);
        (await ProcFs.WaitUntilGoneAsync([killed], TimeSpan.FromSeconds(5))).ShouldBeTrue();
        await WaitForAsync(() => _app.App.Notifications.Get("other") is { State: ResourceState.Running, Restarts: >= 1 }, TimeSpan.FromSeconds(30));
        var after = int.Parse(await http.GetStringAsync("/pid", Ct), System.Globalization.CultureInfo.InvariantCulture);
        after.ShouldNotBe(before);
        _app.Logs("other").ShouldContain("restart #1");
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            DateTime.UtcNow.ShouldBeLessThan(until, "condition not met in time");
            await Task.Delay(100);
        }
    }
}
