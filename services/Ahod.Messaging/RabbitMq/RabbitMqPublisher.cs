using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Ahod.Messaging.RabbitMq;

/// <summary>
/// Publishes over one channel with publisher confirms and confirmation tracking, so every publish
/// completes only when the broker has taken responsibility for the message (and throws on a nack
/// or a return). Callers mark an outbox row done or ack a delivery only after that.
/// </summary>
internal sealed class RabbitMqPublisher(
    RabbitMqConnection connection,
    IOptions<MessagingOptions> options,
    ILogger<RabbitMqPublisher> logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    /// <summary>
    /// Publishes a batch, all in flight at once, and waits for every confirm.
    /// Returns one entry per message: null when confirmed, otherwise why it failed.
    /// </summary>
    public async Task<Exception?[]> PublishAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        var results = new Exception?[messages.Count];
        await _gate.WaitAsync(cancellationToken);
        try
        {
            IChannel channel;
            try
            {
                channel = await GetChannelAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                Array.Fill(results, ex);
                return results;
            }

            var pending = new ValueTask[messages.Count];
            for (var i = 0; i < messages.Count; i++)
            {
                var message = messages[i];
                try
                {
                    pending[i] = channel.BasicPublishAsync(
                        message.Exchange, message.RoutingKey, message.Mandatory, message.Properties, message.Body, cancellationToken);
                }
                catch (Exception ex)
                {
                    pending[i] = ValueTask.FromException(ex);
                }
            }

            for (var i = 0; i < pending.Length; i++)
            {
                try
                {
                    await pending[i];
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    results[i] = ex;
                }
            }

            return results;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task PublishAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        var results = await PublishAsync([message], cancellationToken);
        if (results[0] is { } error)
        {
            throw new InvalidOperationException(
                $"RabbitMQ did not confirm the message to '{message.Exchange}' / '{message.RoutingKey}'.", error);
        }
    }

    private async Task<IChannel> GetChannelAsync(CancellationToken cancellationToken)
    {
        if (_channel is { IsOpen: true })
        {
            return _channel;
        }

        var amqp = await connection.GetConnectionAsync(cancellationToken);
        if (!amqp.IsOpen)
        {
            // Auto-recovery is reconnecting and will bring the channel back with it.
            throw new InvalidOperationException("The RabbitMQ connection is recovering.");
        }

        // Open connection but closed channel: the broker closed it for a channel error, which
        // recovery does not undo.
        if (_channel is not null)
        {
            logger.LogWarning("Publishing channel was closed ({Reason}); opening a new one", _channel.CloseReason?.ReplyText);
            await _channel.DisposeAsync();
            _channel = null;
        }

        var channel = await amqp.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);

        // Publishing to a missing exchange closes the channel, so make sure it exists first.
        await channel.ExchangeDeclareAsync(options.Value.Exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        _channel = channel;
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is not null)
        {
            await _channel.DisposeAsync();
        }

        _gate.Dispose();
    }
}
