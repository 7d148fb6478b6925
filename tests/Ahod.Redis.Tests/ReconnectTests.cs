using System.Text;

namespace Ahod.Redis.Tests;

/// <summary>
/// These stop and start their own redis (a separate test app from the harness), so they never disturb tests
/// using the shared one. A restart keeps the port and the password.
/// </summary>
public sealed class ReconnectTests
{
    private const string Redis = RedisFixture.ResourceName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Client_reconnects_after_the_server_restarts()
    {
        await using var app = await RedisFixture.StartOwnAsync(Ct);
        await using var client = new RedisClient(app.GetConnectionString(Redis) + ",connectTimeout=2000");
        var key = RedisFixture.Key("reconnect");
        await client.StringSetAsync(key, "before", cancellationToken: Ct);

        await app.StopResourceAsync(Redis, Ct);

        // While it is down, commands fail with a connection error instead of hanging.
        await Should.ThrowAsync<RedisConnectionException>(() => client.PingAsync(Ct));
        client.IsConnected.ShouldBeFalse();

        await app.StartResourceAsync(Redis, Ct);

        // The restarted server has no data (no persistence) but accepts commands on the same client.
        (await client.StringGetAsync(key, Ct)).ShouldBeNull();
        await client.StringSetAsync(key, "after", cancellationToken: Ct);
        (await client.StringGetAsync(key, Ct)).ShouldBe("after");
    }

    [Fact]
    public async Task Requests_waiting_when_the_connection_drops_fail_with_a_connection_error()
    {
        await using var app = await RedisFixture.StartOwnAsync(Ct);
        await using var client = new RedisClient(app.GetConnectionString(Redis));
        await client.PingAsync(Ct);

        // BLPOP on an empty key holds the connection (which the client shares), so it and the pings
        // queued behind it are in flight when the server stops.
        var sleeping = client.ExecuteAsync("BLPOP", [RedisFixture.Key("empty"), 5], Ct);
        var queued = Enumerable.Range(0, 10).Select(_ => client.PingAsync(Ct)).ToArray();
        await Task.Delay(200, Ct);
        await app.StopResourceAsync(Redis, Ct);

        await Should.ThrowAsync<RedisConnectionException>(() => sleeping);
        foreach (var request in queued)
        {
            await Should.ThrowAsync<RedisConnectionException>(() => request);
        }
    }

    [Fact]
    public async Task Subscription_is_restored_after_the_server_restarts()
    {
        await using var app = await RedisFixture.StartOwnAsync(Ct);
        await using var client = new RedisClient(app.GetConnectionString(Redis) + ",connectTimeout=5000");
        var channel = RedisFixture.Key("chan");
        var received = System.Threading.Channels.Channel.CreateUnbounded<string>();
        await using var _ = await client.SubscribeAsync(channel, (_, m) =>
        {
            received.Writer.TryWrite(Encoding.UTF8.GetString(m.Span));
            return Task.CompletedTask;
        }, Ct);

        await app.StopResourceAsync(Redis, Ct);
        await app.StartResourceAsync(Redis, Ct);

        // The subscriber reconnects in the background; publish until it is listening again.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (await client.PublishAsync(channel, "hello again", Ct) == 0)
        {
            DateTime.UtcNow.ShouldBeLessThan(deadline, "the subscription was not restored");
            await Task.Delay(100, Ct);
        }

        (await received.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(5), Ct)).ShouldBe("hello again");
    }
}
