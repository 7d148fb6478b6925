using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace Ahod.Messaging.RabbitMq;

/// <summary>
/// The service's one AMQP connection, opened on first use rather than at start-up, so a service
/// boots (and its outbox keeps accepting events) while RabbitMQ is still down.
/// </summary>
public sealed class RabbitMqConnection : IAsyncDisposable
{
    private readonly ConnectionFactory _factory;
    private readonly ILogger<RabbitMqConnection> _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private bool _disposed;

    public RabbitMqConnection(string name, Uri uri, ILogger<RabbitMqConnection> logger)
    {
        Name = name;
        _logger = logger;
        _factory = new ConnectionFactory
        {
            Uri = uri,
            ClientProvidedName = $"{AppDomain.CurrentDomain.FriendlyName}:{name}",
            // The client re-opens the connection, its channels, queues, bindings and consumers after
            // a network failure or broker restart; only the first connect is ours to retry.
            AutomaticRecoveryEnabled = true,
            TopologyRecoveryEnabled = true,
            NetworkRecoveryInterval = TimeSpan.FromSeconds(2),
            RequestedConnectionTimeout = TimeSpan.FromSeconds(10),
        };
    }

    /// <summary>The connection name, as in <c>ConnectionStrings:&lt;name&gt;</c>.</summary>
    public string Name { get; }

    /// <summary>Returns the open (or recovering) connection, connecting first if there is none yet.</summary>
    /// <exception cref="RabbitMQ.Client.Exceptions.BrokerUnreachableException">RabbitMQ cannot be reached now.</exception>
    public async ValueTask<IConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var current = _connection;
        if (current is not null && !IsClosedForGood(current))
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_connection is not null && !IsClosedForGood(_connection))
            {
                return _connection;
            }

            if (_connection is not null)
            {
                await _connection.DisposeAsync();
                _connection = null;
            }

            _connection = await _factory.CreateConnectionAsync(cancellationToken);
            _logger.LogInformation("Connected to RabbitMQ {Endpoint} as {ConnectionName}", _connection.Endpoint, Name);
            return _connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    // Auto-recovery handles closes caused by the network or the broker; a close the application
    // asked for is final, so that connection is replaced.
    private static bool IsClosedForGood(IConnection connection) =>
        !connection.IsOpen && connection.CloseReason?.Initiator == ShutdownInitiator.Application;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_connection is not null)
        {
            try
            {
                await _connection.CloseAsync(TimeSpan.FromSeconds(5));
            }
            catch (Exception ex)
            {
                _logger.LogDebug(ex, "Closing the RabbitMQ connection failed; it is being disposed anyway");
            }

            await _connection.DisposeAsync();
        }

        _gate.Dispose();
    }
}
