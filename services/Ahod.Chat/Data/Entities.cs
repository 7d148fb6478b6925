namespace Ahod.Chat.Data;

public static class ConversationTypes
{
    public const string Direct = "direct";
    public const string Listing = "listing";
    public const string Community = "community";
}

public sealed class Conversation
{
    public Guid Id { get; set; }

    public string Type { get; set; } = "";

    /// <summary>Unique per kind of pair: <c>direct:{a}:{b}</c> (ids ordered), <c>listing:{listing}:{requester}</c>, <c>community:{id}</c>.</summary>
    public string Key { get; set; } = "";

    /// <summary>The listing's title or the community's name; a direct conversation is titled by the other person.</summary>
    public string? Title { get; set; }

    public Guid? ListingId { get; set; }

    public Guid? CommunityId { get; set; }

    /// <summary>The last <c>seq</c> handed out; the next message takes this + 1 under the row's own lock.</summary>
    public long LastSeq { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset LastActivityAt { get; set; }
}

public sealed class Participant
{
    public Guid ConversationId { get; set; }

    public Guid UserId { get; set; }

    public long ReadUpTo { get; set; }

    public DateTimeOffset JoinedAt { get; set; }

    /// <summary>Set when the user left a community; the row stays so their old messages keep a sender.</summary>
    public DateTimeOffset? LeftAt { get; set; }
}

public sealed class Message
{
    public Guid Id { get; set; }

    public Guid ConversationId { get; set; }

    public long Seq { get; set; }

    public Guid SenderId { get; set; }

    public string ClientMessageId { get; set; } = "";

    public string Text { get; set; } = "";

    public DateTimeOffset SentAt { get; set; }

    /// <summary>The sender was erased (GDPR): the text is gone, the place in the conversation stays.</summary>
    public bool Erased { get; set; }
}

public sealed class Notification
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public string Type { get; set; } = "";

    public string Title { get; set; } = "";

    public string Body { get; set; } = "";

    /// <summary>JSON object with the ids a client needs to open what the notification is about.</summary>
    public string Data { get; set; } = "{}";

    /// <summary>The integration event it was made from: with the user, unique, so an event never notifies twice.</summary>
    public Guid SourceEventId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? ReadAt { get; set; }
}

/// <summary>Public profile names, kept from user.registered/-updated so titles need no call to Identity.</summary>
public sealed class ChatUser
{
    public Guid Id { get; set; }

    public string UserName { get; set; } = "";

    public string FirstName { get; set; } = "";

    public string LastName { get; set; } = "";

    public bool Erased { get; set; }

    public string DisplayName => Erased ? "deleted user" : $"{FirstName} {LastName}".Trim() is { Length: > 0 } name ? name : UserName;
}

/// <summary>Listing owners learned from Marketplace's request events, for listing conversations.</summary>
public sealed class ListingInfo
{
    public Guid Id { get; set; }

    public Guid OwnerId { get; set; }

    public string Title { get; set; } = "";
}
