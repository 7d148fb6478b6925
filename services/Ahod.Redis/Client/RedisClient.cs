using Ahod.Redis.Connection;
using Ahod.Redis.Protocol;
using Ahod.Redis.PubSub;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ahod.Redis;

/// <summary>
/// A thread-safe Redis client meant to be a singleton. All commands share one pipelined
/// connection (see <see cref="RedisConnection"/>); pub/sub uses a second one, because a
/// subscribed connection can no longer run ordinary commands. Both reconnect by themselves.
/// </summary>
/// <remarks>
/// Blocking commands (BLPOP, XREAD BLOCK, ...) must not be sent through this client: they would
/// hold up every other caller queued behind them on the shared connection.
/// </remarks>
public sealed partial class RedisClient : IAsyncDisposable, IDisposable
{
    private readonly ConnectionManager _connections;
    private readonly ILogger _logger;
    private readonly Lazy<RedisSubscriber> _subscriber;

    public RedisClient(RedisConnectionOptions options, ILogger<RedisClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _logger = logger ?? NullLogger<RedisClient>.Instance;
        _connections = new ConnectionManager(options, _logger);
        _subscriber = new Lazy<RedisSubscriber>(() => new RedisSubscriber(options, _logger), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public RedisClient(string connectionString, ILogger<RedisClient>? logger = null)
        : this(RedisConnectionOptions.Parse(connectionString), logger)
    {
    }

    public RedisConnectionOptions Options { get; }

    /// <summary>True while the command connection is open. Connecting happens on first use.</summary>
    public bool IsConnected => _connections.Current is not null;

    /// <summary>
    /// Sends any command, e.g. <c>ExecuteAsync("SET", "k", "v", "EX", 10)</c>. Arguments may be
    /// strings (sent as UTF-8), byte arrays, <see cref="ReadOnlyMemory{T}"/> of bytes, or numbers.
    /// An error reply is thrown as <see cref="RedisServerException"/>.
    /// </summary>
    public Task<RedisValue> ExecuteAsync(string command, params object[] args) =>
        ExecuteAsync(command, args, CancellationToken.None);

    /// <inheritdoc cref="ExecuteAsync(string, object[])"/>
    public async Task<RedisValue> ExecuteAsync(string command, object[] args, CancellationToken cancellationToken)
    {
        var payload = RespWriter.Encode(command, args);
        var reply = await SendAsync(payload, cancellationToken);
        if (reply.Kind == RedisValueKind.Error)
        {
            throw new RedisServerException(reply.AsString()!, command);
        }

        return reply;
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscriber.IsValueCreated)
        {
            await _subscriber.Value.DisposeAsync();
        }

        await _connections.DisposeAsync();
    }

    /// <summary>
    /// For containers and hosts that dispose synchronously: a service provider that is disposed with
    /// Dispose() throws for singletons that are only IAsyncDisposable. Disposing closes sockets and
    /// does no network round trips, so blocking here is brief.
    /// </summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task<RedisValue> SendAsync(byte[] payload, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var connection = await _connections.GetAsync(cancellationToken);
            try
            {
                return await connection.SendAsync(payload, cancellationToken);
            }
            catch (RedisConnectionException ex) when (ex.CommandNotSent && attempt < 3)
            {
                // The connection died between being handed out and our write; the server never saw
                // the command, so sending it on the next connection cannot run it twice.
                _logger.LogDebug("Redis command not sent on a closed connection; retrying on a new one");
            }
        }
    }
}
