using System.Text.Json.Serialization;

namespace Ahod.Chat.Conversations;

/// <param name="Type"><c>direct</c> (with <paramref name="UserId"/>) or <c>listing</c> (with <paramref name="ListingId"/>).</param>
public sealed record CreateConversationRequest(string? Type, Guid? UserId, Guid? ListingId);

public sealed record SendMessageRequest(string? ClientMessageId, string? Text);

public sealed record MessageResponse(Guid Id, Guid ConversationId, long Seq, Guid SenderId, string ClientMessageId, string Text, DateTimeOffset SentAt)
{
    internal static MessageResponse From(Data.Message m) => new(m.Id, m.ConversationId, m.Seq, m.SenderId, m.ClientMessageId, m.Text, m.SentAt);
}

/// <param name="ReadUpTo">Each participant's last read <c>seq</c>, by user id.</param>
public sealed record ConversationResponse(
    Guid Id,
    string Type,
    IReadOnlyList<Guid> Participants,
    string Title,
    MessageResponse? LastMessage,
    long Unread,
    IReadOnlyDictionary<Guid, long> ReadUpTo,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? ListingId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? CommunityId,
    long LastSeq,
    DateTimeOffset LastActivityAt);

/// <summary>Hub event payloads.</summary>
public sealed record TypingEvent(Guid ConversationId, Guid UserId);

public sealed record ReadEvent(Guid ConversationId, Guid UserId, long Seq);

public sealed record PresenceEvent(Guid UserId, bool Online);

public static class HubEvents
{
    public const string Message = "message";
    public const string Typing = "typing";
    public const string Read = "read";
    public const string Presence = "presence";
    public const string Notification = "notification";
}
