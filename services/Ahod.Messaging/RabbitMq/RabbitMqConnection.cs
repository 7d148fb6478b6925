using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace Ahod.Messaging.RabbitMq;

/// <summary>
/// The service's one AMQP connection, the <see cref="IConnection"/> that Aspire's <c>AddRabbitMQClient</c>
/// registers, resolved on first use rather than at start-up: Aspire connects (with its retries) when the
/// connection is first resolved, and a service must boot (its outbox keeps accepting events) while RabbitMQ is down.
/// The client's automatic recovery re-opens the connection, channels and consumers after a network failure.
/// </summary>
public sealed class RabbitMqConnection(IServiceProvider services)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;

    /// <summary>Returns the open (or recovering) connection, connecting first if there is none yet.</summary>
    /// <exception cref="RabbitMQ.Client.Exceptions.BrokerUnreachableException">RabbitMQ cannot be reached now.</exception>
    public async ValueTask<IConnection> GetConnectionAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } current)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Resolving blocks while Aspire connects and retries; keep it off the caller's thread.
            return _connection ??= await Task.Run(services.GetRequiredService<IConnection>, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }
}
