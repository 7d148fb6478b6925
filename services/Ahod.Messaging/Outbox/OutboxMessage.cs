using System.Diagnostics;
using Ahod.Messaging.Contracts;

namespace Ahod.Messaging.Outbox;

/// <summary>An event waiting in the service's own database to be published; row of <c>outbox_messages</c>.</summary>
public sealed class OutboxMessage
{
    /// <summary>The event id, so writing the same event twice fails instead of publishing it twice.</summary>
    public Guid Id { get; set; }

    /// <summary>The event name, which is also its routing key.</summary>
    public required string Type { get; set; }

    /// <summary>The event as camelCase JSON (<c>jsonb</c>).</summary>
    public required string Payload { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the broker confirmed it; null while it still has to be published.</summary>
    public DateTimeOffset? ProcessedAt { get; set; }

    /// <summary>Failed publish attempts so far.</summary>
    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>W3C traceparent of the activity that wrote the event, so publish and consume join its trace.</summary>
    public string? TraceParent { get; set; }

    public static OutboxMessage From(IntegrationEvent integrationEvent) => new()
    {
        Id = integrationEvent.Id,
        Type = IntegrationEventNames.For(integrationEvent.GetType()),
        Payload = IntegrationEventSerializer.Serialize(integrationEvent),
        // timestamptz columns take UTC only.
        OccurredAt = integrationEvent.OccurredAt.ToUniversalTime(),
        CreatedAt = DateTimeOffset.UtcNow,
        TraceParent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.Id : null,
    };
}
