namespace Ahod.Messaging.Inbox;

/// <summary>
/// Proof that <see cref="Consumer"/> handled event <see cref="EventId"/>; row of <c>inbox_messages</c>.
/// Written in the same transaction as the handler's changes, so "handled" and "recorded" cannot diverge.
/// </summary>
public sealed class InboxMessage
{
    public Guid EventId { get; set; }

    /// <summary>The consuming service (its queue name).</summary>
    public required string Consumer { get; set; }

    public required string EventType { get; set; }

    public DateTimeOffset ProcessedAt { get; set; }
}
