using Aspire.Hosting;
using Ahod.Payments.Tests;
using Ahod.Testing;

[assembly: AssemblyFixture(typeof(PaymentsAppFixture))]

namespace Ahod.Payments.Tests;

/// <summary>The real app model (gateway, identity, payments and their servers), started once per run.</summary>
public sealed class PaymentsAppFixture : IAsyncLifetime
{
    private TestApp? _app;

    public TestApp App => _app ?? throw new InvalidOperationException("The test app has not started.");

    public string StateDirectory { get; private set; } = "";

    public string MailDirectory => Path.Combine(StateDirectory, "mail");

    public string PaymentsDb => App.GetConnectionString("paymentsdb");

    public string RabbitMq => App.GetConnectionString("rabbitmq");

    /// <summary>Every public call goes through the gateway, as a client's would.</summary>
    public HttpClient CreateClient() => App.CreateHttpClient("gateway");

    /// <summary>Straight to Payments, for its internal API (which the gateway never routes).</summary>
    public HttpClient CreatePaymentsClient() => App.CreateHttpClient("payments");

    public string InternalApiKey => _internalKey;

    private readonly string _internalKey = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAhodAsync(["gateway", "identity", "payments"], builder =>
        {
            StateDirectory = builder.StateDirectory;
            builder.Project("gateway").LiftRateLimits();

            // A known internal key, so tests can call /internal like a sibling service; Identity shares it to ask
            // Payments before an erasure, as in the AppHost where every project gets the same key.
            foreach (var name in new[] { "gateway", "identity", "payments" })
            {
                builder.Project(name).WithEnvironment("InternalApi__Key", _internalKey);
            }

            builder.Project("payments")
                .WithEnvironment("Payments__SandboxSettlementDelay", "00:00:01")
                .WithEnvironment("Payments__BackgroundInterval", "00:00:00.250");
        }, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
