using System.Threading.Channels;
using Ahod.Redis.Connection;
using Ahod.Redis.Protocol;
using Microsoft.Extensions.Logging;

namespace Ahod.Redis.PubSub;

/// <summary>
/// Owns the dedicated subscriber connection. Messages are taken off the socket reader into a
/// queue and handed to handlers by one dispatcher task, so a slow handler never stalls the
/// socket and messages keep their publish order.
/// </summary>
internal sealed class RedisSubscriber : IAsyncDisposable
{
    private readonly ConnectionManager _connections;
    private readonly ILogger _logger;
    private readonly Channel<(string Channel, byte[] Message)> _inbox =
        Channel.CreateUnbounded<(string, byte[])>(new UnboundedChannelOptions { SingleReader = true });

    // Serialises SUBSCRIBE/UNSUBSCRIBE with changes to _handlers so the server's view and ours agree.
    private readonly SemaphoreSlim _subscriptionLock = new(1, 1);
    private readonly Lock _handlersLock = new();
    private readonly Dictionary<string, Subscription[]> _handlers = new(StringComparer.Ordinal);
    private readonly Task _dispatcher;

    public RedisSubscriber(RedisConnectionOptions options, ILogger logger)
    {
        _logger = logger;
        _connections = new ConnectionManager(options, logger, TryTakeMessage, ResubscribeAsync);
        _dispatcher = Task.Run(DispatchAsync);
    }

    public async Task<IAsyncDisposable> SubscribeAsync(string channel, Func<string, ReadOnlyMemory<byte>, Task> handler,
        CancellationToken cancellationToken)
    {
        var subscription = new Subscription(this, channel, handler);
        await _subscriptionLock.WaitAsync(cancellationToken);
        try
        {
            bool first;
            lock (_handlersLock)
            {
                first = !_handlers.TryGetValue(channel, out var existing);
                _handlers[channel] = [.. existing ?? [], subscription];
            }

            if (first)
            {
                try
                {
                    var connection = await _connections.GetAsync(cancellationToken);
                    await SubscribeOnAsync(connection, channel, cancellationToken);
                }
                catch
                {
                    Remove(subscription);
                    throw;
                }
            }
        }
        finally
        {
            _subscriptionLock.Release();
        }

        return subscription;
    }

    public async ValueTask DisposeAsync()
    {
        await _connections.DisposeAsync();
        _inbox.Writer.TryComplete();
        await _dispatcher;
    }

    private async Task UnsubscribeAsync(Subscription subscription)
    {
        await _subscriptionLock.WaitAsync();
        try
        {
            if (!Remove(subscription))
            {
                return;
            }

            // Last handler gone: tell the server, if we are connected. When we are not, there is
            // nothing to undo: the next connection only subscribes to channels still in _handlers.
            if (_connections.Current is { } connection)
            {
                try
                {
                    await connection.SendAsync(RespWriter.Encode("UNSUBSCRIBE", [subscription.Channel]), CancellationToken.None);
                }
                catch (RedisConnectionException ex)
                {
                    _logger.LogDebug(ex, "UNSUBSCRIBE {Channel} not sent; the connection closed", subscription.Channel);
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // The client is already disposed, which ended every subscription.
        }
        finally
        {
            _subscriptionLock.Release();
        }
    }

    /// <summary>Removes one handler; true when it was the channel's last.</summary>
    private bool Remove(Subscription subscription)
    {
        lock (_handlersLock)
        {
            if (!_handlers.TryGetValue(subscription.Channel, out var existing) || !existing.Contains(subscription))
            {
                return false;
            }

            var remaining = existing.Where(s => s != subscription).ToArray();
            if (remaining.Length > 0)
            {
                _handlers[subscription.Channel] = remaining;
                return false;
            }

            _handlers.Remove(subscription.Channel);
            return true;
        }
    }

    private async Task ResubscribeAsync(RedisConnection connection, CancellationToken cancellationToken)
    {
        string[] channels;
        lock (_handlersLock)
        {
            channels = [.. _handlers.Keys];
        }

        // One SUBSCRIBE per channel, pipelined: each gets exactly one confirmation, which keeps
        // replies matched to requests.
        await Task.WhenAll(channels.Select(c => SubscribeOnAsync(connection, c, cancellationToken)));
        if (channels.Length > 0)
        {
            _logger.LogInformation("Re-subscribed to {Count} Redis channel(s) after reconnecting", channels.Length);
        }
    }

    private static async Task SubscribeOnAsync(RedisConnection connection, string channel, CancellationToken cancellationToken)
    {
        var reply = await connection.SendAsync(RespWriter.Encode("SUBSCRIBE", [channel]), cancellationToken);
        if (reply.Kind == RedisValueKind.Error)
        {
            throw new RedisServerException(reply.AsString()!, "SUBSCRIBE");
        }
    }

    /// <summary>Runs on the socket reader: takes <c>["message", channel, payload]</c> pushes, lets every other reply through.</summary>
    private bool TryTakeMessage(RedisValue reply)
    {
        if (reply is not { Kind: RedisValueKind.Array, Items: { Count: 3 } items } ||
            items[0].Kind != RedisValueKind.BulkString || items[0].AsString() != "message")
        {
            return false;
        }

        _inbox.Writer.TryWrite((items[1].AsString()!, items[2].AsBytes() ?? []));
        return true;
    }

    private async Task DispatchAsync()
    {
        await foreach (var (channel, message) in _inbox.Reader.ReadAllAsync())
        {
            Subscription[]? handlers;
            lock (_handlersLock)
            {
                _handlers.TryGetValue(channel, out handlers);
            }

            foreach (var subscription in handlers ?? [])
            {
                try
                {
                    await subscription.Handler(channel, message);
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "A Redis subscription handler for channel {Channel} failed", channel);
                }
            }
        }
    }

    private sealed class Subscription(RedisSubscriber owner, string channel, Func<string, ReadOnlyMemory<byte>, Task> handler)
        : IAsyncDisposable
    {
        private int _disposed;

        public string Channel { get; } = channel;

        public Func<string, ReadOnlyMemory<byte>, Task> Handler { get; } = handler;

        public async ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                await owner.UnsubscribeAsync(this);
            }
        }
    }
}
