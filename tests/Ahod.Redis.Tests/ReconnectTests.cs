using System.Text;

namespace Ahod.Redis.Tests;

/// <summary>These stop their own redis-server, so they never disturb tests using the shared one.</summary>
public sealed class ReconnectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Client_reconnects_after_the_server_restarts()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var client = new RedisClient(server.ConnectionString + ",connectTimeout=2000");
        var key = RedisServerFixture.Key("reconnect");
        await client.StringSetAsync(key, "before", cancellationToken: Ct);

        await server.StopAsync();

        // While it is down, commands fail with a connection error instead of hanging.
        await Should.ThrowAsync<RedisConnectionException>(() => client.PingAsync(Ct));
        client.IsConnected.ShouldBeFalse();

        await server.StartAsync();

        // The restarted server has no data (no persistence) but accepts commands on the same client.
        (await client.StringGetAsync(key, Ct)).ShouldBeNull();
        await client.StringSetAsync(key, "after", cancellationToken: Ct);
        (await client.StringGetAsync(key, Ct)).ShouldBe("after");
    }

    [Fact]
    public async Task Requests_waiting_when_the_connection_drops_fail_with_a_connection_error()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var client = new RedisClient(server.ConnectionString);
        await client.PingAsync(Ct);

        // DEBUG SLEEP holds the reply back, so these are in flight when the server dies.
        var sleeping = client.ExecuteAsync("DEBUG", ["SLEEP", 5], Ct);
        var queued = Enumerable.Range(0, 10).Select(_ => client.PingAsync(Ct)).ToArray();
        await Task.Delay(200, Ct);
        await server.StopAsync();

        await Should.ThrowAsync<RedisConnectionException>(() => sleeping);
        foreach (var request in queued)
        {
            await Should.ThrowAsync<RedisConnectionException>(() => request);
        }
    }

    [Fact]
    public async Task Subscription_is_restored_after_the_server_restarts()
    {
        await using var server = await RedisServer.StartNewAsync();
        await using var client = new RedisClient(server.ConnectionString + ",connectTimeout=5000");
        var channel = RedisServerFixture.Key("chan");
        var received = System.Threading.Channels.Channel.CreateUnbounded<string>();
        await using var _ = await client.SubscribeAsync(channel, (_, m) =>
        {
            received.Writer.TryWrite(Encoding.UTF8.GetString(m.Span));
            return Task.CompletedTask;
        }, Ct);

        await server.StopAsync();
        await server.StartAsync();

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
