using Ahod.Testing;

[assembly: AssemblyFixture(typeof(Ahod.Redis.Tests.RedisFixture))]

namespace Ahod.Redis.Tests;

/// <summary>
/// One redis for the whole test assembly, started by the Ahod.Testing harness (the AppHost's app model).
/// Tests share it, so each uses its own keys (see <see cref="Key"/>); tests that stop the server start their own
/// (see <see cref="StartOwnAsync"/>).
/// </summary>
public sealed class RedisFixture : IAsyncLifetime
{
    /// <summary>The resource name used in every test app of this assembly.</summary>
    public const string ResourceName = "redis";

    private TestApp? _app;

    /// <summary><c>127.0.0.1:port,password=hex</c>.</summary>
    public string ConnectionString { get; private set; } = "";

    /// <summary>The port the shared redis listens on.</summary>
    public int Port => RedisConnectionOptions.Parse(ConnectionString).Port;

    public RedisClient CreateClient(string? extraOptions = null) =>
        new(ConnectionString + (extraOptions is null ? "" : "," + extraOptions));

    /// <summary>A key no other test uses.</summary>
    public static string Key(string name) => $"test:{name}:{Guid.NewGuid():N}";

    /// <summary>A separate test app with just a redis, for tests that stop and start it.</summary>
    public static Task<TestApp> StartOwnAsync(CancellationToken cancellationToken) =>
        TestApp.StartAhodAsync([ResourceName], cancellationToken: cancellationToken);

    public async ValueTask InitializeAsync()
    {
        _app = await StartOwnAsync(TestContext.Current.CancellationToken);
        ConnectionString = _app.GetConnectionString(ResourceName);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
