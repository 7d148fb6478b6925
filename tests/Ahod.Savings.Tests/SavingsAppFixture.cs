using Aspire.Hosting;
using Ahod.Savings.Tests;
using Ahod.Testing;

[assembly: AssemblyFixture(typeof(SavingsAppFixture))]

namespace Ahod.Savings.Tests;

/// <summary>The real app model through the gateway: savings and what it references (identity, payments, servers).</summary>
public sealed class SavingsAppFixture : IAsyncLifetime
{
    private TestApp? _app;

    public TestApp App => _app ?? throw new InvalidOperationException("The test app has not started.");

    public string StateDirectory { get; private set; } = "";

    public string MailDirectory => Path.Combine(StateDirectory, "mail");

    public string SavingsDb => App.GetConnectionString("savingsdb");

    /// <summary>Known to the test so it can read pot balances from Payments' internal API, like Savings does.</summary>
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
        _app = await TestApp.StartAhodAsync(["gateway", "identity", "payments", "savings"], builder =>
        {
            StateDirectory = builder.StateDirectory;
            builder.Project("gateway").LiftRateLimits();
            foreach (var name in new[] { "gateway", "identity", "payments", "savings" })
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
