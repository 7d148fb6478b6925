using Aspire.Hosting;
using Ahod.Identity.Tests;
using Ahod.Testing;

[assembly: AssemblyFixture(typeof(IdentityAppFixture))]

namespace Ahod.Identity.Tests;

/// <summary>
/// The real Ahod app model with Identity and what it needs (PostgreSQL, Redis, RabbitMQ), once per run.
/// Tests isolate themselves by creating their own users.
/// </summary>
public sealed class IdentityAppFixture : IAsyncLifetime
{
    /// <summary>Resources the tests need: the gateway (every test goes through the public entry point) and Identity.</summary>
    public static readonly string[] Resources = ["gateway", "identity"];

    private readonly SemaphoreSlim _adminGate = new(1, 1);
    private TestApp? _app;
    private FakeGdprService? _gdprProbe;
    private Session? _admin;

    /// <summary>Whoever signs up with this email becomes admin (Identity:AdminEmails).</summary>
    public string AdminEmail { get; } = $"admin-{Guid.NewGuid():N}@ahod.test";

    public string StateDirectory { get; private set; } = "";

    public TestApp App => _app ?? throw new InvalidOperationException("The test app has not started.");

    public string IdentityDbConnectionString => App.GetConnectionString("identitydb");

    public string RabbitMqConnectionString => App.GetConnectionString("rabbitmq");

    /// <summary>The folder Identity writes verification emails into (Email:PickupDirectory).</summary>
    public string MailDirectory => Path.Combine(StateDirectory, "mail");

    /// <summary>The folder Identity keeps its development signing keys in (Jwt:KeyDirectory).</summary>
    public string KeyDirectory => Path.Combine(StateDirectory, "keys");

    /// <summary>
    /// The one place tests get their HTTP client: the gateway, as a client of the product would.
    /// Cookies are off: tests send the refresh cookie explicitly, to replay old ones like an attacker would.
    /// </summary>
    public HttpClient CreateClient() =>
        new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = App.GetEndpoint("gateway"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Straight to Identity, for what only the service itself answers (its /health, its OpenAPI document).</summary>
    public HttpClient CreateDirectClient() =>
        new(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = App.GetEndpoint("identity"), Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The run's one admin, signed up on first use with <see cref="AdminEmail"/>.</summary>
    public async Task<Session> GetAdminAsync()
    {
        await _adminGate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            return _admin ??= await new IdentityApi(this).SignUpAsync(IdentityApi.NewUser() with { Email = AdminEmail });
        }
        finally
        {
            _adminGate.Release();
        }
    }

    /// <summary>A stand-in service configured in Identity's Gdpr:Services, to test the export aggregation.</summary>
    public FakeGdprService GdprProbe => _gdprProbe ?? throw new InvalidOperationException("The test app has not started.");

    public async ValueTask InitializeAsync()
    {
        _gdprProbe = await FakeGdprService.StartAsync(TestContext.Current.CancellationToken);
        _app = await TestApp.StartAhodAsync(Resources, builder =>
        {
            StateDirectory = builder.StateDirectory;
            builder.Project("identity")
                // Production's key stretching (100,000 PBKDF2 iterations, ~50 ms of CPU a hash), not the harness's 1,000:
                // SignInCostTests compares what a wrong password and an unknown email cost, which means something only when
                // a hash costs what it does in production (at 1,000 iterations a missing dummy hash would go unnoticed).
                .WithEnvironment("Identity__PasswordHasher__IterationCount", "100000")
                .WithEnvironment("Identity__AdminEmails__0", AdminEmail)
                .WithEnvironment("Gdpr__Services__0", FakeGdprService.Name)
                .WithEnvironment("Gdpr__Services__1", "")
                .WithEnvironment($"services__{FakeGdprService.Name}__http__0", _gdprProbe.Url.ToString().TrimEnd('/'));
            builder.Project("gateway").LiftRateLimits();
        }, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _adminGate.Dispose();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        if (_gdprProbe is not null)
        {
            await _gdprProbe.DisposeAsync();
        }
    }
}
