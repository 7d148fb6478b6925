using System.Text;
using Ahod.Messaging.RabbitMq;
using RabbitMQ.Client;
using static Ahod.Testing.Eventually;

namespace Ahod.Messaging.Tests.Infrastructure;

public sealed record ReceivedMessage(string? MessageId, string? Type, DeliveryModes DeliveryMode, string Body, IDictionary<string, object?> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value)
        ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), null => null, _ => value.ToString() }
        : null;
}

/// <summary>Reads a queue with basic.get, so a test counts exactly what was delivered.</summary>
public sealed class ProbeQueue(MessagingTestContext context, string name)
{
    private readonly List<ReceivedMessage> _received = [];

    public string Name { get; } = name;

    public IReadOnlyList<ReceivedMessage> Received => _received;

    /// <summary>Takes everything currently in the queue.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> DrainAsync(CancellationToken cancellationToken)
    {
        var channel = await context.OpenChannelAsync(cancellationToken);
        try
        {
            while (await channel.BasicGetAsync(Name, autoAck: true, cancellationToken) is { } result)
            {
                _received.Add(new ReceivedMessage(
                    result.BasicProperties.MessageId,
                    result.BasicProperties.Type,
                    result.BasicProperties.DeliveryMode,
                    Encoding.UTF8.GetString(result.Body.Span),
                    result.BasicProperties.Headers is { } headers ? new Dictionary<string, object?>(headers) : []));
            }
        }
        finally
        {
            await channel.CloseAsync(cancellationToken);
        }

        return _received;
    }

    /// <summary>Drains until at least <paramref name="count"/> messages have arrived.</summary>
    public async Task<IReadOnlyList<ReceivedMessage>> WaitForAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await EventuallyAsync(async () => (await DrainAsync(cancellationToken)).Count >= count, timeout,
            () => $"queue {Name} received {_received.Count} of {count} messages", cancellationToken);
        return _received;
    }

    public int AttemptOf(ReceivedMessage message) => int.Parse(message.Header(MessageHeaders.Attempt) ?? "1");
}
