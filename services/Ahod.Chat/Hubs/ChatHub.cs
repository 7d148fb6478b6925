using Ahod.Chat.Conversations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Ahod.Chat.Hubs;

/// <summary>
/// <c>/hubs/chat</c>. Every push goes to users (<c>Clients.Users</c>), never to groups a client could ask to join:
/// who receives a message, a typing signal or a receipt is decided per call from the conversation's participants,
/// and the Redis backplane carries it to the replica holding each user's connections.
/// </summary>
[Authorize]
public sealed class ChatHub(MessageSender sender, ConversationStore conversations, Presence presence) : Hub
{
    public const string Path = "/hubs/chat";

    private Guid UserId => Context.User!.GetUserId();

    public override async Task OnConnectedAsync()
    {
        await presence.ConnectedAsync(UserId, Context.ConnectionId, Context.ConnectionAborted);
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        await presence.DisconnectedAsync(UserId, Context.ConnectionId);
        await base.OnDisconnectedAsync(exception);
    }

    public async Task<MessageResponse> SendMessage(Guid conversationId, string? clientMessageId, string? text)
    {
        var result = await sender.SendAsync(UserId, conversationId, clientMessageId, text, Context.ConnectionAborted);
        return result.Outcome switch
        {
            SendOutcome.Sent or SendOutcome.Duplicate => result.Message!,
            SendOutcome.Invalid => throw new HubException(string.Join(" ", result.Validation!.Errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}"))),
            _ => throw NotFound(),
        };
    }

    public async Task Typing(Guid conversationId)
    {
        var participants = await conversations.ParticipantIdsAsync(conversationId, Context.ConnectionAborted);
        if (!participants.Contains(UserId))
        {
            throw NotFound();
        }

        await Clients.Users(participants.Where(p => p != UserId).Select(p => p.ToString()))
            .SendAsync(HubEvents.Typing, new TypingEvent(conversationId, UserId), Context.ConnectionAborted);
    }

    public async Task<long> MarkRead(Guid conversationId, long seq)
    {
        if (seq < 0)
        {
            throw new HubException("seq: must not be negative.");
        }

        return await sender.MarkReadAsync(UserId, conversationId, seq, Context.ConnectionAborted) ?? throw NotFound();
    }

    private static HubException NotFound() => new("No conversation with that id is visible to you.");
}

/// <summary>SignalR's user id is the token's <c>sub</c> (claims keep their JWT names here).</summary>
public sealed class SubjectUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.User.TryGetUserId(out var id) ? id.ToString() : null;
}
