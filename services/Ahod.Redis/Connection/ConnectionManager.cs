using Microsoft.Extensions.Logging;

namespace Ahod.Redis.Connection;

/// <summary>
/// Keeps one live <see cref="RedisConnection"/>. When the socket drops it reconnects in the
/// background with exponential backoff, so the next command usually finds a connection ready;
/// a command that arrives while reconnecting waits for it (up to the connect timeout).
/// </summary>
internal sealed class ConnectionManager : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(2);

    private readonly RedisConnectionOptions _options;
    private readonly Func<RedisValue, bool>? _tryHandlePush;
    private readonly Func<RedisConnection, CancellationToken, Task>? _onConnected;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _disposed = new();
    private readonly Lock _gate = new();

    // Released by a caller that has to wait, to cut the current backoff short: a caller should not
    // sit out a 2 s pause after the server is already back.
    private readonly SemaphoreSlim _wake = new(0, 1);

    private RedisConnection? _current;
    private Task<RedisConnection>? _connecting;
    private Exception? _lastError;

    /// <param name="onConnected">Runs on each new connection before anyone else may use it (the subscriber re-subscribes here).</param>
    public ConnectionManager(
        RedisConnectionOptions options,
        ILogger logger,
        Func<RedisValue, bool>? tryHandlePush = null,
        Func<RedisConnection, CancellationToken, Task>? onConnected = null)
    {
        _options = options;
        _logger = logger;
        _tryHandlePush = tryHandlePush;
        _onConnected = onConnected;
    }

    /// <summary>The live connection if there is one right now, without waiting or connecting.</summary>
    public RedisConnection? Current => Volatile.Read(ref _current) is { IsConnected: true } live ? live : null;

    public async ValueTask<RedisConnection> GetAsync(CancellationToken cancellationToken)
    {
        if (Current is { } live)
        {
            return live;
        }

        Task<RedisConnection> connecting;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed.IsCancellationRequested, this);
            if (Current is { } raced)
            {
                return raced;
            }

            connecting = _connecting ??= StartConnecting();
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }

        try
        {
            return await connecting.WaitAsync(_options.ConnectTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new RedisConnectionException(
                $"No connection to Redis at {_options.Endpoint} within {_options.ConnectTimeout.TotalMilliseconds:0} ms; " +
                $"still retrying in the background. Last error: {_lastError?.Message ?? "none"}",
                _lastError);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<RedisConnection>? connecting;
        RedisConnection? current;
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested)
            {
                return;
            }

            _disposed.Cancel();
            connecting = _connecting;
            current = _current;
            _current = null;
        }

        if (connecting is not null)
        {
            try
            {
                await connecting;
            }
            catch (Exception ex)
            {
                _logger.LogDebug(ex, "Redis connect attempt ended during dispose.");
            }
        }

        if (current is not null)
        {
            await current.DisposeAsync();
        }

        _disposed.Dispose();
    }

    // Called under _gate.
    private Task<RedisConnection> StartConnecting()
    {
        var task = ConnectWithRetryAsync();

        // Nobody may be waiting on a background reconnect; observe its failure so it is not reported
        // as an unobserved task exception.
        _ = task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        return task;
    }

    private async Task<RedisConnection> ConnectWithRetryAsync()
    {
        // Leave the caller's lock before doing any I/O.
        await Task.Yield();
        var delay = FirstRetryDelay;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    return await ConnectOnceAsync();
                }
                catch (RedisAuthenticationException ex)
                {
                    // Retrying with the same wrong credentials cannot succeed: fail the waiters now.
                    _lastError = ex;
                    _logger.LogError("Redis authentication to {Endpoint} failed: {Error}", _options.Endpoint, ex.Message);
                    throw;
                }
                catch (Exception ex) when (!_disposed.IsCancellationRequested)
                {
                    _lastError = ex;
                    _logger.LogWarning("Redis connect attempt {Attempt} to {Endpoint} failed: {Error}; retrying in {Delay} ms",
                        attempt, _options.Endpoint, ex.Message, delay.TotalMilliseconds);
                }

                if (await _wake.WaitAsync(delay, _disposed.Token))
                {
                    // Woken by a waiting caller: still pause briefly so a burst of callers cannot
                    // turn into a burst of connection attempts.
                    await Task.Delay(FirstRetryDelay, _disposed.Token);
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
        catch (Exception ex)
        {
            // On success ConnectOnceAsync clears _connecting together with setting _current; on
            // failure it is cleared here so the next caller starts a fresh attempt.
            lock (_gate)
            {
                _connecting = null;
            }

            if (ex is OperationCanceledException && _disposed.IsCancellationRequested)
            {
                throw new ObjectDisposedException(nameof(RedisClient), "The Redis client was disposed while connecting.");
            }

            throw;
        }
    }

    private async Task<RedisConnection> ConnectOnceAsync()
    {
        var connection = await RedisConnection.ConnectAsync(_options, _tryHandlePush, _logger, _disposed.Token);
        try
        {
            if (_onConnected is not null)
            {
                await _onConnected(connection, _disposed.Token);
            }

            lock (_gate)
            {
                _disposed.Token.ThrowIfCancellationRequested();
                _current = connection;
                _connecting = null;
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        _logger.LogInformation("Connected to Redis at {Endpoint}", _options.Endpoint);
        _ = connection.Closed.ContinueWith(_ => OnConnectionLost(connection), CancellationToken.None,
            TaskContinuationOptions.None, TaskScheduler.Default);
        return connection;
    }

    private void OnConnectionLost(RedisConnection connection)
    {
        lock (_gate)
        {
            if (_disposed.IsCancellationRequested || !ReferenceEquals(_current, connection))
            {
                return;
            }

            _current = null;
            _logger.LogWarning("Lost the connection to Redis at {Endpoint}; reconnecting", _options.Endpoint);
            _connecting ??= StartConnecting();
        }

        // The dead connection still owns a stream and a finished reader loop; release them.
        _ = connection.DisposeAsync().AsTask();
    }
}
