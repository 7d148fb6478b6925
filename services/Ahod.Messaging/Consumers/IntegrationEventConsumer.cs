using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Ahod.Messaging.RabbitMq;

namespace Ahod.Messaging.Consumers;

/// <summary>
/// Consumes the service's queue with manual acks and dispatches each delivery through
/// <see cref="DeliveryProcessor"/>. Declares its topology on start; keeps retrying to start while
/// RabbitMQ is down; after that the client's auto-recovery restores the channel and the consumer.
/// </summary>
internal sealed class IntegrationEventConsumer(
    RabbitMqConnection connection,
    DeliveryProcessor processor,
    IOptions<MessagingOptions> options,
    ILogger<IntegrationEventConsumer> logger) : BackgroundService
{
    private static readonly TimeSpan HealthCheckInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.ServiceName))
        {
            throw new InvalidOperationException(
                $"Integration event handlers are registered but {MessagingOptions.SectionName}:{nameof(MessagingOptions.ServiceName)} " +
                "is not set; it names the service's queue and its inbox consumer.");
        }

        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        // Until the first time consuming starts, a broker that is not reachable yet is how a start looks, not a failure.
        var started = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            IChannel? channel = null;
            try
            {
                var amqp = await connection.GetConnectionAsync(stoppingToken);
                channel = await StartConsumingAsync(amqp, stoppingToken);
                started = true;
                backoff = TimeSpan.FromMilliseconds(250);
                await WatchAsync(amqp, channel, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            catch (Exception ex) when (!started)
            {
                logger.LogInformation("RabbitMQ queue {Queue} not ready yet ({Error}); retrying in {Backoff}", options.Value.ServiceName, ex.Message, backoff);
                await DelayQuietlyAsync(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.Value.StartMaxBackoff.Ticks));
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Could not consume from RabbitMQ queue {Queue}; retrying in {Backoff}", options.Value.ServiceName, backoff);
                await DelayQuietlyAsync(backoff, stoppingToken);
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
            finally
            {
                if (channel is not null)
                {
                    await CloseQuietlyAsync(channel);
                }
            }
        }
    }

    private async Task<IChannel> StartConsumingAsync(IConnection amqp, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var queue = settings.ServiceName!;
        var channel = await amqp.CreateChannelAsync(
            new CreateChannelOptions(
                publisherConfirmationsEnabled: false,
                publisherConfirmationTrackingEnabled: false,
                consumerDispatchConcurrency: settings.ConsumerConcurrency),
            cancellationToken);
        try
        {
            await Topology.DeclareConsumerAsync(channel, settings, queue, processor.EventNames, cancellationToken);
            await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: settings.Prefetch, global: false, cancellationToken);

            var consumer = new AsyncEventingBasicConsumer(channel);
            consumer.ReceivedAsync += (_, delivery) => OnReceivedAsync(channel, delivery, cancellationToken);
            await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
            logger.LogInformation("Consuming {Events} from queue {Queue}", string.Join(", ", processor.EventNames), queue);
            return channel;
        }
        catch
        {
            await CloseQuietlyAsync(channel);
            throw;
        }
    }

    /// <summary>
    /// Returns when the channel is gone for good: closed while its connection is open, which
    /// auto-recovery does not repair (a channel error, or the broker cancelling the consumer).
    /// </summary>
    private static async Task WatchAsync(IConnection amqp, IChannel channel, CancellationToken cancellationToken)
    {
        var strikes = 0;
        while (true)
        {
            await Task.Delay(HealthCheckInterval, cancellationToken);
            // Two checks in a row, so a channel in the middle of recovery is not mistaken for a dead one.
            strikes = !channel.IsOpen && amqp.IsOpen ? strikes + 1 : 0;
            if (strikes >= 2)
            {
                throw new InvalidOperationException($"The consumer channel closed: {channel.CloseReason?.ReplyText}");
            }
        }
    }

    private async Task OnReceivedAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken stoppingToken)
    {
        DeliveryOutcome outcome;
        try
        {
            outcome = await processor.ProcessAsync(delivery, stoppingToken);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Unexpected failure processing message {MessageId}; requeueing it", delivery.BasicProperties.MessageId);
            outcome = DeliveryOutcome.Requeue;
        }

        try
        {
            if (outcome == DeliveryOutcome.Ack)
            {
                await channel.BasicAckAsync(delivery.DeliveryTag, multiple: false, CancellationToken.None);
            }
            else
            {
                if (!stoppingToken.IsCancellationRequested)
                {
                    // Requeueing means the broker could not take the message elsewhere; don't spin on it.
                    await DelayQuietlyAsync(TimeSpan.FromSeconds(1), stoppingToken);
                }

                await channel.BasicNackAsync(delivery.DeliveryTag, multiple: false, requeue: true, CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            // The channel is gone; the broker requeues every unacked delivery of a closed channel.
            logger.LogWarning(ex, "Could not settle message {MessageId}; the broker will redeliver it", delivery.BasicProperties.MessageId);
        }
    }

    private static async Task DelayQuietlyAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task CloseQuietlyAsync(IChannel channel)
    {
        try
        {
            if (channel.IsOpen)
            {
                await channel.CloseAsync();
            }
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Closing the consumer channel failed");
        }

        await channel.DisposeAsync();
    }
}
