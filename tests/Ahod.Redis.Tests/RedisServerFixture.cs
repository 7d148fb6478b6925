[assembly: AssemblyFixture(typeof(Ahod.Redis.Tests.RedisServerFixture))]

namespace Ahod.Redis.Tests;

/// <summary>
/// One redis-server for the whole test assembly. Tests share it, so each uses its own keys
/// (see <see cref="Key"/>); tests that stop the server or need other settings start their own.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private RedisServer? _server;

    public RedisServer Server => _server ?? throw new InvalidOperationException("The fixture has not started.");

    public string ConnectionString => Server.ConnectionString;

    public RedisClient CreateClient(string? extraOptions = null) =>
        new(Server.ConnectionString + (extraOptions is null ? "" : "," + extraOptions));

    /// <summary>A key no other test uses.</summary>
    public static string Key(string name) => $"test:{name}:{Guid.NewGuid():N}";

    public async ValueTask InitializeAsync() => _server = await RedisServer.StartNewAsync();

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
