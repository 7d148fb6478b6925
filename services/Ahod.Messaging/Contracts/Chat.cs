namespace Ahod.Messaging.Contracts;

/// <summary>
/// A chat message was stored. Carries only a short preview, not the full text, so notification
/// consumers do not spread message content further than they need.
/// </summary>
[IntegrationEvent("chat.message-sent")]
public sealed record ChatMessageSent(
    Guid MessageId,
    Guid ConversationId,
    long Sequence,
    Guid SenderUserId,
    IReadOnlyList<Guid> RecipientUserIds,
    string Preview)
    : IntegrationEvent;
