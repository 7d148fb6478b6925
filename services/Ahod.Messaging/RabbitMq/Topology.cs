using System.Globalization;
using Ahod.Messaging.Contracts;
using RabbitMQ.Client;

namespace Ahod.Messaging.RabbitMq;

/// <summary>
/// Names and declarations of the exchanges and queues. Every declaration is idempotent, so each
/// replica declares everything it needs at start-up and nothing has to be provisioned by hand.
/// </summary>
/// <remarks>
/// <para>
/// Events go to the durable topic exchange (<c>ahod.events</c>). Each consuming service has one durable
/// queue named after it, bound to the routing keys it handles, and to no other event of the contract: a
/// binding outlives the version that made it, so each start removes those of events no longer handled
/// (they would otherwise arrive and be dead-lettered as unknown).
/// </para>
/// <para>
/// Retries: a failed delivery is republished to the direct exchange <c>&lt;service&gt;.retry</c> with the
/// delay in milliseconds as routing key, landing in <c>&lt;service&gt;.retry.&lt;ms&gt;</c>, whose queue TTL
/// dead-letters it back to the service queue. One queue per delay, rather than one queue with a
/// per-message TTL, because RabbitMQ only expires messages at the head of a queue: a 2-minute retry
/// would otherwise hold back every 1-second retry queued behind it.
/// </para>
/// <para>
/// Exhausted, malformed and unknown messages go to <c>&lt;service&gt;.dlq</c>. The service queue also
/// dead-letters there itself (delivery limit on quorum queues), which catches a message that crashes
/// the process before it can be retried.
/// </para>
/// </remarks>
public static class Topology
{
    /// <summary>Quorum queues count redeliveries; past this many the broker dead-letters the message.</summary>
    public const int DeliveryLimit = 20;

    public static string RetryExchange(string serviceName) => $"{serviceName}.retry";

    public static string RetryQueue(string serviceName, TimeSpan delay) => $"{serviceName}.retry.{RetryRoutingKey(delay)}";

    public static string RetryRoutingKey(TimeSpan delay) => ((long)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    public static string DeadLetterQueue(string serviceName) => $"{serviceName}.dlq";

    internal static Task DeclareExchangeAsync(IChannel channel, string exchange, CancellationToken cancellationToken) =>
        channel.ExchangeDeclareAsync(exchange, ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: cancellationToken);

    internal static async Task DeclareConsumerAsync(
        IChannel channel, MessagingOptions options, string serviceName, IEnumerable<string> routingKeys, CancellationToken cancellationToken)
    {
        await DeclareExchangeAsync(channel, options.Exchange, cancellationToken);

        var deadLetterQueue = DeadLetterQueue(serviceName);
        await channel.QueueDeclareAsync(deadLetterQueue, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = options.QueueType },
            cancellationToken: cancellationToken);

        var queueArguments = new Dictionary<string, object?>
        {
            ["x-queue-type"] = options.QueueType,
            ["x-dead-letter-exchange"] = "",
            ["x-dead-letter-routing-key"] = deadLetterQueue,
        };
        if (options.QueueType == "quorum")
        {
            queueArguments["x-delivery-limit"] = DeliveryLimit;
        }

        await channel.QueueDeclareAsync(serviceName, durable: true, exclusive: false, autoDelete: false,
            arguments: queueArguments, cancellationToken: cancellationToken);
        var handled = routingKeys.ToHashSet(StringComparer.Ordinal);
        foreach (var routingKey in handled)
        {
            await channel.QueueBindAsync(serviceName, options.Exchange, routingKey, cancellationToken: cancellationToken);
        }

        // Unbinding what was never bound is a no-op for the broker.
        foreach (var routingKey in IntegrationEventNames.All.Where(name => !handled.Contains(name)))
        {
            await channel.QueueUnbindAsync(serviceName, options.Exchange, routingKey, cancellationToken: cancellationToken);
        }

        var retryExchange = RetryExchange(serviceName);
        await channel.ExchangeDeclareAsync(retryExchange, ExchangeType.Direct, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        foreach (var delay in options.EffectiveRetryDelays.Distinct())
        {
            var retryQueue = RetryQueue(serviceName, delay);
            // Classic on purpose: these queues only hold messages until their TTL runs out.
            await channel.QueueDeclareAsync(retryQueue, durable: true, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?>
                {
                    ["x-queue-type"] = "classic",
                    ["x-message-ttl"] = (long)delay.TotalMilliseconds,
                    ["x-dead-letter-exchange"] = "",
                    ["x-dead-letter-routing-key"] = serviceName,
                },
                cancellationToken: cancellationToken);
            await channel.QueueBindAsync(retryQueue, retryExchange, RetryRoutingKey(delay), cancellationToken: cancellationToken);
        }
    }
}
