using Ahod.Marketplace.Tests;
using Ahod.Testing;
using Aspire.Hosting;

[assembly: AssemblyFixture(typeof(MarketplaceAppFixture))]

namespace Ahod.Marketplace.Tests;

/// <summary>The real app model through the gateway: marketplace and what it references (identity, payments, the servers).</summary>
public sealed class MarketplaceAppFixture : IAsyncLifetime
{
    /// <summary>Short, so the expiry path runs within a test; long enough that a paid request is settled first.</summary>
    public static readonly TimeSpan HoldTimeout = TimeSpan.FromSeconds(25);

    private TestApp? _app;

    public TestApp App => _app ?? throw new InvalidOperationException("The test app has not started.");

    public string StateDirectory { get; private set; } = "";

    public string MailDirectory => Path.Combine(StateDirectory, "mail");

    public string MediaDirectory => Path.Combine(StateDirectory, "media");

    public string MarketplaceDb => App.GetConnectionString("marketplacedb");

    public string PaymentsDb => App.GetConnectionString("paymentsdb");

    public string InternalApiKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public HttpClient CreateClient() => App.CreateHttpClient("gateway");

    public HttpClient CreateInternalClient(string service)
    {
        var client = App.CreateHttpClient(service);
        client.DefaultRequestHeaders.Add("X-Ahod-Internal-Key", InternalApiKey);
        return client;
    }

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAhodAsync(["gateway", "identity", "payments", "marketplace"], builder =>
        {
            StateDirectory = builder.StateDirectory;
            builder.Project("gateway").LiftRateLimits();
            builder.Project("marketplace").WithEnvironment("Marketplace__HoldTimeout", HoldTimeout.ToString("c"));
            foreach (var name in new[] { "gateway", "identity", "payments", "marketplace" })
            {
                builder.Project(name).WithEnvironment("InternalApi__Key", InternalApiKey);
            }
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
