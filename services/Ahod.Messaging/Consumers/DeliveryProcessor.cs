using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Diagnostics;
using Ahod.Messaging.RabbitMq;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Ahod.Messaging.Consumers;

/// <summary>
/// Decides the fate of one delivery. The rule that keeps events safe: the delivery is acked only once
/// its effect is durable somewhere else: committed with its inbox record, or confirmed by the broker
/// in a retry or dead-letter queue. Anything else is requeued.
/// </summary>
internal sealed class DeliveryProcessor(
    IServiceProvider services,
    IEnumerable<EventSubscription> subscriptions,
    RabbitMqPublisher publisher,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<DeliveryProcessor> logger)
{
    private readonly Dictionary<string, EventSubscription> _subscriptions = Index(subscriptions);

    public IReadOnlyCollection<string> EventNames => _subscriptions.Keys;

    public async Task<DeliveryOutcome> ProcessAsync(BasicDeliverEventArgs delivery, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var consumer = settings.ServiceName!;
        var properties = delivery.BasicProperties;
        var eventName = string.IsNullOrEmpty(properties.Type) ? delivery.RoutingKey : properties.Type;
        var attempt = Math.Max(1, HeaderValues.GetInt(properties.Headers, MessageHeaders.Attempt, 1));

        using var activity = MessagingTelemetry.ActivitySource.StartActivity(
            $"{eventName} process", ActivityKind.Consumer, TraceContext.Extract(properties.Headers));
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", consumer);
        activity?.SetTag("messaging.message.id", properties.MessageId);
        activity?.SetTag("messaging.rabbitmq.message.attempt", attempt);

        if (!_subscriptions.TryGetValue(eventName, out var subscription))
        {
            return await DeadLetterAsync(delivery, eventName, attempt, "unknown-event",
                new InvalidOperationException($"{consumer} has no handler for '{eventName}'."), cancellationToken);
        }

        IntegrationEvent integrationEvent;
        try
        {
            integrationEvent = IntegrationEventSerializer.Deserialize(delivery.Body.Span, subscription.EventType);
            if (Guid.TryParse(properties.MessageId, out var messageId) && messageId != integrationEvent.Id)
            {
                throw new JsonException($"Message id {messageId} does not match the event id {integrationEvent.Id}.");
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException or ArgumentException)
        {
            // A payload that cannot be read now will not be readable on a retry either.
            return await DeadLetterAsync(delivery, eventName, attempt, "malformed", ex, cancellationToken);
        }

        var started = time.GetTimestamp();
        try
        {
            var result = await subscription.HandleAsync(services, integrationEvent, consumer, cancellationToken);
            var outcome = result == HandleResult.Handled ? "handled" : "duplicate";
            Record(eventName, outcome, time.GetElapsedTime(started));
            activity?.SetTag("ahod.messaging.outcome", outcome);
            if (result == HandleResult.Duplicate)
            {
                logger.LogInformation("{Consumer} skipped {Event} {EventId}: already handled", consumer, eventName, integrationEvent.Id);
            }

            return DeliveryOutcome.Ack;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down mid-handler is not the handler's failure: the message goes back as it was.
            Record(eventName, "requeued", time.GetElapsedTime(started));
            return DeliveryOutcome.Requeue;
        }
        catch (Exception ex)
        {
            Record(eventName, attempt >= settings.MaxAttempts ? "dead_lettered" : "retried", time.GetElapsedTime(started));
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            activity?.AddException(ex);
            if (attempt >= settings.MaxAttempts)
            {
                logger.LogError(ex, "{Consumer} failed {Event} {EventId} on the last of {MaxAttempts} attempts; dead-lettering it",
                    consumer, eventName, integrationEvent.Id, settings.MaxAttempts);
                return await DeadLetterAsync(delivery, eventName, attempt, "handler-failed", ex, cancellationToken);
            }

            var delay = settings.RetryDelayFor(attempt);
            logger.LogWarning(ex, "{Consumer} failed {Event} {EventId} (attempt {Attempt} of {MaxAttempts}); retrying in {Delay}",
                consumer, eventName, integrationEvent.Id, attempt, settings.MaxAttempts, delay);
            return await RetryAsync(delivery, attempt, delay, cancellationToken);
        }
    }

    private async Task<DeliveryOutcome> RetryAsync(
        BasicDeliverEventArgs delivery, int attempt, TimeSpan delay, CancellationToken cancellationToken)
    {
        var serviceName = options.Value.ServiceName!;
        var properties = Copy(delivery);
        properties.Headers![MessageHeaders.Attempt] = attempt + 1;
        return await MoveAsync(
            new OutgoingMessage(Topology.RetryExchange(serviceName), Topology.RetryRoutingKey(delay), properties, delivery.Body, Mandatory: true),
            cancellationToken);
    }

    private async Task<DeliveryOutcome> DeadLetterAsync(
        BasicDeliverEventArgs delivery, string eventName, int attempt, string reason, Exception error, CancellationToken cancellationToken)
    {
        if (reason != "handler-failed")
        {
            logger.LogError(error, "{Consumer} dead-lettered {Event} message {MessageId}: {Reason}",
                options.Value.ServiceName, eventName, delivery.BasicProperties.MessageId, reason);
            MessagingTelemetry.Consumed.Add(1,
                new KeyValuePair<string, object?>("event", eventName), new KeyValuePair<string, object?>("outcome", "dead_lettered"));
        }

        var properties = Copy(delivery);
        var headers = properties.Headers!;
        headers[MessageHeaders.Attempt] = attempt;
        headers[MessageHeaders.DeadLetterReason] = reason;
        headers[MessageHeaders.ErrorType] = error.GetType().FullName;
        headers[MessageHeaders.ErrorMessage] = Truncate(error.Message, 2000);
        headers[MessageHeaders.ErrorStackTrace] = Truncate(error.ToString(), 8000);
        headers[MessageHeaders.DeadLetteredAt] = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        headers[MessageHeaders.OriginalRoutingKey] = delivery.RoutingKey;
        return await MoveAsync(
            new OutgoingMessage("", Topology.DeadLetterQueue(options.Value.ServiceName!), properties, delivery.Body, Mandatory: true),
            cancellationToken);
    }

    /// <summary>Publishes the message on (confirmed) before the original may be acked.</summary>
    private async Task<DeliveryOutcome> MoveAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await publisher.PublishAsync(message, cancellationToken);
            return DeliveryOutcome.Ack;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Could not move message {MessageId} to {Exchange}/{RoutingKey}; requeueing it",
                message.Properties.MessageId, message.Exchange, message.RoutingKey);
            return DeliveryOutcome.Requeue;
        }
    }

    private static BasicProperties Copy(BasicDeliverEventArgs delivery)
    {
        var properties = new BasicProperties(delivery.BasicProperties)
        {
            DeliveryMode = DeliveryModes.Persistent,
            // Header values are the broker's byte arrays; copy the dictionary, not the delivery's.
            Headers = delivery.BasicProperties.Headers is { } headers
                ? new Dictionary<string, object?>(headers)
                : new Dictionary<string, object?>(),
        };
        // The x-death history grows on every retry round trip; the attempt header already counts them.
        properties.Headers.Remove("x-death");
        properties.Headers.Remove("x-first-death-exchange");
        properties.Headers.Remove("x-first-death-queue");
        properties.Headers.Remove("x-first-death-reason");
        return properties;
    }

    private static void Record(string eventName, string outcome, TimeSpan elapsed)
    {
        var tags = new TagList { { "event", eventName }, { "outcome", outcome } };
        MessagingTelemetry.Consumed.Add(1, tags);
        MessagingTelemetry.HandleDuration.Record(elapsed.TotalSeconds, tags);
    }

    private static Dictionary<string, EventSubscription> Index(IEnumerable<EventSubscription> subscriptions)
    {
        var index = new Dictionary<string, EventSubscription>(StringComparer.Ordinal);
        foreach (var subscription in subscriptions)
        {
            if (index.TryGetValue(subscription.EventName, out var existing) && existing.DbContextType != subscription.DbContextType)
            {
                throw new InvalidOperationException(
                    $"Handlers of '{subscription.EventName}' use both {existing.DbContextType.Name} and {subscription.DbContextType.Name}; " +
                    "one event is handled in one transaction, so all its handlers must share one DbContext.");
            }

            index[subscription.EventName] = subscription;
        }

        return index;
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
