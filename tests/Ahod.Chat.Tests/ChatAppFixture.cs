using Aspire.Hosting;
using Ahod.Chat.Tests;
using Ahod.Testing;

[assembly: AssemblyFixture(typeof(ChatAppFixture))]

namespace Ahod.Chat.Tests;

/// <summary>The real app model: chat (two replicas) with the gateway, identity, payments and savings whose events it turns into notifications.</summary>
public sealed class ChatAppFixture : IAsyncLifetime
{
    public static readonly string[] Resources = ["gateway", "identity", "payments", "savings", "chat"];

    private TestApp? _app;

    public TestApp App => _app ?? throw new InvalidOperationException("The test app has not started.");

    public string StateDirectory { get; private set; } = "";

    public string MailDirectory => Path.Combine(StateDirectory, "mail");

    public string ChatDb => App.GetConnectionString("chatdb");

    public string InternalApiKey { get; } = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

    public HttpClient CreateClient() => App.CreateHttpClient("gateway");

    public Uri Gateway => App.GetEndpoint("gateway");

    public HttpClient CreateInternalClient(string service)
    {
        var client = App.CreateHttpClient(service);
        client.DefaultRequestHeaders.Add("X-Ahod-Internal-Key", InternalApiKey);
        return client;
    }

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAhodAsync(Resources, builder =>
        {
            StateDirectory = builder.StateDirectory;
            builder.Project("gateway").LiftRateLimits();
            foreach (var name in Resources)
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
