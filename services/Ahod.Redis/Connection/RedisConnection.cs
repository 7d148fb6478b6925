using System.Buffers;
using System.IO.Pipelines;
using System.Net.Security;
using System.Net.Sockets;
using System.Threading.Channels;
using Ahod.Redis.Protocol;
using Microsoft.Extensions.Logging;

namespace Ahod.Redis.Connection;

/// <summary>
/// One socket to the server, multiplexed: any number of callers write requests back to back
/// (pipelining) and a single reader loop hands each reply to the oldest waiting request, because
/// Redis answers strictly in the order it received commands. One connection is created, then the
/// <see cref="ConnectionManager"/> replaces it when it dies; it never reconnects itself.
/// </summary>
internal sealed class RedisConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeReader _input;
    private readonly Func<RedisValue, bool>? _tryHandlePush;
    private readonly ILogger _logger;
    private readonly string _endpoint;

    // Commands waiting for the writer loop. They are queued under _pendingLock together with their
    // reply slot, so the order on the wire is the order of _pending. One writer draining the queue
    // sends everything that piled up in a single socket write: under load that is many commands
    // per system call instead of one, which is where a multiplexer's throughput comes from.
    private readonly Channel<byte[]> _outgoing =
        Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    // Guards _pending, _outgoing's writes and _closed together, so a request is either queued
    // before the connection closes (and then failed by Close) or sees it closed; none is left waiting.
    private readonly Lock _pendingLock = new();
    private readonly Queue<TaskCompletionSource<RedisValue>> _pending = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _isClosed;
    private Task _readLoop = Task.CompletedTask;
    private Task _writeLoop = Task.CompletedTask;

    private RedisConnection(Socket socket, Stream stream, string endpoint, Func<RedisValue, bool>? tryHandlePush, ILogger logger)
    {
        _socket = socket;
        _stream = stream;
        _endpoint = endpoint;
        _tryHandlePush = tryHandlePush;
        _logger = logger;
        _input = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
    }

    public bool IsConnected => !Volatile.Read(ref _isClosed);

    /// <summary>Completes when the connection has closed for any reason; the manager uses it to reconnect.</summary>
    public Task Closed => _closed.Task;

    /// <summary>
    /// Opens the socket (and TLS), starts the reader, then authenticates and selects the database.
    /// <paramref name="tryHandlePush"/> sees every reply first; the subscriber connection uses it to take
    /// pub/sub messages, which arrive without a request.
    /// </summary>
    public static async Task<RedisConnection> ConnectAsync(
        RedisConnectionOptions options,
        Func<RedisValue, bool>? tryHandlePush,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        EnableKeepAlive(socket);
        RedisConnection? connection = null;
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            if (options.Ssl)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                await ssl.AuthenticateAsClientAsync(
                    new SslClientAuthenticationOptions { TargetHost = options.SslHost ?? options.Host },
                    timeout.Token);
                stream = ssl;
            }

            connection = new RedisConnection(socket, stream, options.Endpoint, tryHandlePush, logger);
            connection._readLoop = connection.ReadLoopAsync();
            connection._writeLoop = connection.WriteLoopAsync();
            await connection.HandshakeAsync(options, timeout.Token);
            return connection;
        }
        catch (Exception ex)
        {
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }

            socket.Dispose();
            throw ex switch
            {
                OperationCanceledException when cancellationToken.IsCancellationRequested => ex,
                OperationCanceledException => new RedisConnectionException(
                    $"Timed out connecting to Redis at {options.Endpoint} after {options.ConnectTimeout.TotalMilliseconds:0} ms.", ex),
                RedisException => ex,
                _ => new RedisConnectionException($"Could not connect to Redis at {options.Endpoint}: {ex.Message}", ex),
            };
        }
    }

    /// <summary>Sends one encoded command and waits for its reply. Error replies are returned, not thrown.</summary>
    public async Task<RedisValue> SendAsync(byte[] command, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var reply = new TaskCompletionSource<RedisValue>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pendingLock)
        {
            if (_isClosed)
            {
                throw new RedisConnectionException($"The connection to Redis at {_endpoint} is closed.") { CommandNotSent = true };
            }

            _pending.Enqueue(reply);
            _outgoing.Writer.TryWrite(command);
        }

        // Once queued a command is always sent: dropping it would desynchronise the reply FIFO.
        // Cancelling only stops this caller waiting; the reply is still matched and then dropped.
        return await reply.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Close(new RedisConnectionException($"The connection to Redis at {_endpoint} was disposed."));
        try
        {
            await Task.WhenAll(_readLoop, _writeLoop);
        }
        catch (Exception ex)
        {
            _logger.LogDebug(ex, "Redis reader loop ended with an error during dispose.");
        }

        await _stream.DisposeAsync();
    }

    /// <summary>
    /// A peer that vanishes without closing (a dropped network path, a killed VM) sends no FIN; TCP
    /// keepalive is what turns that into a read error, and so into a reconnect, within about a minute.
    /// </summary>
    private static void EnableKeepAlive(Socket socket)
    {
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 30);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 5);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 4);
        }
        catch (SocketException)
        {
            // Not every platform allows tuning these; the operating system's defaults still apply.
        }
    }

    private async Task HandshakeAsync(RedisConnectionOptions options, CancellationToken cancellationToken)
    {
        if (options.Password is not null)
        {
            object[] args = options.User is null ? [options.Password] : [options.User, options.Password];
            var auth = await SendAsync(RespWriter.Encode("AUTH", args), cancellationToken);
            if (auth.Kind == RedisValueKind.Error)
            {
                throw new RedisAuthenticationException(
                    $"Redis at {options.Endpoint} refused the credentials{(options.User is null ? "" : $" for user '{options.User}'")}: {auth.AsString()}",
                    new RedisServerException(auth.AsString()!, "AUTH"));
            }
        }

        var setup = new List<(string Command, Task<RedisValue> Reply)>();
        if (options.ClientName is not null)
        {
            setup.Add(("CLIENT SETNAME", SendAsync(RespWriter.Encode("CLIENT", ["SETNAME", options.ClientName]), cancellationToken)));
        }

        if (options.DefaultDatabase != 0)
        {
            setup.Add(("SELECT", SendAsync(RespWriter.Encode("SELECT", [options.DefaultDatabase]), cancellationToken)));
        }

        // PING proves the connection is usable now, so a server that wants a password we did not
        // give fails here with NOAUTH instead of on the first real command.
        setup.Add(("PING", SendAsync(RespWriter.Encode("PING", []), cancellationToken)));

        foreach (var (command, task) in setup)
        {
            var reply = await task;
            if (reply.Kind != RedisValueKind.Error)
            {
                continue;
            }

            var message = reply.AsString()!;
            if (message.StartsWith("NOAUTH", StringComparison.Ordinal) || message.StartsWith("WRONGPASS", StringComparison.Ordinal))
            {
                throw new RedisAuthenticationException(
                    $"Redis at {options.Endpoint} requires a password and none was accepted: {message}",
                    new RedisServerException(message, command));
            }

            throw new RedisServerException(message, command);
        }
    }

    private async Task WriteLoopAsync()
    {
        const int MaxBatchBytes = 64 * 1024;
        var batch = new ArrayBufferWriter<byte>(MaxBatchBytes);
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync())
            {
                batch.ResetWrittenCount();
                while (batch.WrittenCount < MaxBatchBytes && _outgoing.Reader.TryRead(out var command))
                {
                    batch.Write(command);
                }

                // Not cancellable on purpose: stopping half way through a command would leave the
                // stream unparseable for the server.
                await _stream.WriteAsync(batch.WrittenMemory);
            }
        }
        catch (Exception ex)
        {
            Close(new RedisConnectionException($"Writing to Redis at {_endpoint} failed: {ex.Message}", ex));
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception reason;
        try
        {
            while (true)
            {
                var result = await _input.ReadAsync();
                var buffer = result.Buffer;
                var consumed = DispatchReplies(buffer);
                _input.AdvanceTo(consumed, buffer.End);
                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }

            reason = new RedisConnectionException($"Redis at {_endpoint} closed the connection.");
        }
        catch (RedisProtocolException ex)
        {
            reason = new RedisConnectionException($"Redis at {_endpoint} sent invalid data: {ex.Message}", ex);
        }
        catch (Exception ex)
        {
            reason = new RedisConnectionException($"The connection to Redis at {_endpoint} was lost: {ex.Message}", ex);
        }

        await _input.CompleteAsync();
        Close(reason);
    }

    private SequencePosition DispatchReplies(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (RespParser.TryRead(ref reader, out var reply))
        {
            if (_tryHandlePush?.Invoke(reply) == true)
            {
                continue;
            }

            TaskCompletionSource<RedisValue>? waiting;
            lock (_pendingLock)
            {
                _pending.TryDequeue(out waiting);
            }

            if (waiting is null)
            {
                throw new RedisProtocolException($"Received a reply nobody asked for: {reply}");
            }

            waiting.TrySetResult(reply);
        }

        return reader.Position;
    }

    private void Close(Exception reason)
    {
        TaskCompletionSource<RedisValue>[] orphans;
        lock (_pendingLock)
        {
            if (_isClosed)
            {
                return;
            }

            Volatile.Write(ref _isClosed, true);
            orphans = [.. _pending];
            _pending.Clear();
            _outgoing.Writer.TryComplete();
        }

        _logger.LogDebug("Redis connection to {Endpoint} closed: {Reason}", _endpoint, reason.Message);

        // Shutting the socket down makes the reader loop's pending read return, so it ends too.
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone: nothing left to shut down.
        }

        _socket.Dispose();
        foreach (var orphan in orphans)
        {
            orphan.TrySetException(new RedisConnectionException(reason.Message, reason));
        }

        _closed.TrySetResult();
    }
}
