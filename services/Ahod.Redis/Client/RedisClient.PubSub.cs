namespace Ahod.Redis;

// Publish/subscribe.
public sealed partial class RedisClient
{
    /// <summary>Publishes a text message; returns how many subscribers received it.</summary>
    public async Task<long> PublishAsync(string channel, string message, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("PUBLISH", [channel, message], cancellationToken)).AsInt64();

    /// <summary>Publishes a binary message; returns how many subscribers received it.</summary>
    public async Task<long> PublishAsync(string channel, ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        (await ExecuteAsync("PUBLISH", [channel, message], cancellationToken)).AsInt64();

    /// <summary>
    /// Calls <paramref name="handler"/> for every message on <paramref name="channel"/> until the
    /// returned subscription is disposed. Handlers run one message at a time, in the order
    /// published, off the socket reader; an exception in a handler is logged and does not stop
    /// later messages. After a reconnect the channel is subscribed again automatically (messages
    /// published while disconnected are lost: that is Redis pub/sub, use streams for durability).
    /// </summary>
    public Task<IAsyncDisposable> SubscribeAsync(
        string channel,
        Func<string, ReadOnlyMemory<byte>, Task> handler,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(channel);
        ArgumentNullException.ThrowIfNull(handler);
        return _subscriber.Value.SubscribeAsync(channel, handler, cancellationToken);
    }
}
