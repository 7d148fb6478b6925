namespace Ahod.Messaging.Contracts;

/// <summary>
/// Something that happened in one service that others may react to. Past tense, immutable,
/// versioned; consumers de-duplicate on <see cref="Id"/>.
/// </summary>
public abstract record IntegrationEvent
{
    /// <summary>Unique per event; also the AMQP message id and the inbox key. v7 so ids sort by time.</summary>
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public DateTimeOffset OccurredAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>Schema version of the payload; bump it when a field changes meaning so consumers can branch.</summary>
    public int Version { get; init; } = 1;
}
