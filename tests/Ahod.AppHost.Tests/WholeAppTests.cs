using System.Net;
using System.Net.Http.Json;
using Ahod.AppHost.Tests;
using Ahod.Testing;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// One app at a time in this assembly: the app model below, the servers alone, then the AppHost run as a person does
// (with the dashboard). Started side by side they only fought over the two cores (and the dotnet test beside them).
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Ahod.AppHost.Tests;

/// <summary>
/// The app model of Ahod.AppHost on free ports, through Aspire.Hosting.Testing: the servers, Identity, Payments,
/// Savings and the gateway. Every resource of the model starts in the web app's end-to-end tests and in
/// <see cref="LifecycleTests"/>' AppHost run; these tests look at the model's contracts, so they skip chat and
/// marketplace (three more processes to start and keep idle).
/// </summary>
public sealed class WholeAppFixture : IAsyncLifetime
{
    private TestApp? _app;

    public TestApp App => _app ?? throw new InvalidOperationException("The app has not started.");

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAhodAsync(["gateway", "identity", "payments", "savings"], cancellationToken: TestContext.Current.CancellationToken);
        TestContext.Current.SendDiagnosticMessage($"app healthy in {_app.StartupTime.TotalSeconds:0.0} s");
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

public sealed class WholeAppTests(WholeAppFixture fixture) : IClassFixture<WholeAppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ResourceEvent Current(string name) =>
        fixture.App.App.Services.GetRequiredService<Ahod.Hosting.ResourceWatch>().Instances(Resource(name)).Single();

    private IResource Resource(string name) =>
        fixture.App.App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(r => r.Name == name);

    [Fact]
    public void EveryResource_IsRunningAndHealthy()
    {
        string[] expected = ["postgres", "redis", "rabbitmq", "rabbitmq-epmd", "identitydb", "paymentsdb", "savingsdb", "identity", "payments", "savings", "gateway"];
        foreach (var name in expected)
        {
            var e = Current(name);
            e.Snapshot.State?.Text.ShouldBe(KnownResourceStates.Running, name);
            e.Snapshot.HealthStatus.ShouldBe(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, name);
        }
    }

    [Fact]
    public void Project_GetsTheAspireEnvironmentContract()
    {
        var env = Current("savings").Snapshot.EnvironmentVariables.ToDictionary(v => v.Name, v => v.Value);

        env["ConnectionStrings__savingsdb"].ShouldNotBeNull().ShouldContain("Database=savingsdb");
        env["ConnectionStrings__rabbitmq"].ShouldNotBeNull().ShouldStartWith("amqp://ahod:");
        env["services__payments__http__0"].ShouldNotBeNull().ShouldStartWith("http://localhost:");
        env["services__identity__http__0"].ShouldNotBeNull().ShouldStartWith("http://localhost:");
        env["OTEL_SERVICE_NAME"].ShouldBe("savings");
        env.ShouldContainKey("OTEL_RESOURCE_ATTRIBUTES");
        env.ShouldNotContainKey("OTEL_EXPORTER_OTLP_ENDPOINT", "the test harness has no dashboard, so nothing exports");
        env["InternalApi__Key"].ShouldNotBeNull().Length.ShouldBeGreaterThanOrEqualTo(32);
        env.ShouldNotContainKey("ConnectionStrings__paymentsdb"); // only what it references
    }

    [Fact]
    public async Task Databases_AreCreated_AndTheGeneratedPasswordIsRequired()
    {
        var paymentsDb = fixture.App.GetConnectionString("paymentsdb");
        await using (var connection = new NpgsqlConnection(paymentsDb))
        {
            await connection.OpenAsync(Ct);
            await using var command = new NpgsqlCommand("SELECT current_database()", connection);
            (await command.ExecuteScalarAsync(Ct)).ShouldBe("paymentsdb");
        }

        var wrong = new NpgsqlConnectionStringBuilder(paymentsDb) { Password = "not-the-password", Pooling = false };
        await using var refused = new NpgsqlConnection(wrong.ConnectionString);
        var error = await Should.ThrowAsync<PostgresException>(() => refused.OpenAsync(Ct));
        error.SqlState.ShouldBe(PostgresErrorCodes.InvalidPassword);
    }

    [Fact]
    public async Task Gateway_ServesTheApiThroughIdentityAndPostgres()
    {
        using var client = fixture.App.CreateHttpClient("gateway");
        var suffix = Guid.NewGuid().ToString("N")[..10];
        using var response = await client.PostAsJsonAsync("/api/auth/signup", new
        {
            email = $"host-{suffix}@ahod.test", password = $"Pw-{suffix}-long-enough!", passwordConfirmation = $"Pw-{suffix}-long-enough!",
            userName = $"host_{suffix}", firstName = "App", lastName = "Host",
        }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task KilledService_IsRestartedByTheAppHost_AndHealthyAgain()
    {
        var restart = await fixture.App.KillAndWaitForRestartAsync("savings", Ct);

        TestContext.Current.SendDiagnosticMessage($"savings healthy again {restart.TotalSeconds:0.0} s after kill -9");
        using var client = fixture.App.CreateHttpClient("savings");
        (await client.GetAsync("/health", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
