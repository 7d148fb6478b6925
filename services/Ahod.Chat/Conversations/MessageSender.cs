using Ahod.Chat.Data;
using Ahod.Chat.Hubs;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Chat.Conversations;

public enum SendOutcome { Sent, Duplicate, NotFound, Invalid }

public sealed record SendResult(SendOutcome Outcome, MessageResponse? Message = null, Validation? Validation = null);

/// <summary>
/// SendMessage for the hub and the HTTP API: stored, then delivered. The conversation's own row is the only lock:
/// <c>last_seq + 1</c> is taken under it in the transaction that inserts the message, so seq is gap-free per
/// conversation (a rollback gives the number back) and senders in different conversations never wait on each other.
/// </summary>
public sealed class MessageSender(ChatDbContext db, ConversationStore conversations, IHubContext<ChatHub> hub, TimeProvider clock)
{
    public const int MaxTextLength = 4000;
    public const int MaxClientMessageIdLength = 100;
    public const int PreviewLength = 100;

    public static Validation Validate(string? clientMessageId, string? text)
    {
        var validation = new Validation();
        validation.Require(!string.IsNullOrWhiteSpace(clientMessageId) && clientMessageId.Length <= MaxClientMessageIdLength,
            "clientMessageId", $"Required: 1-{MaxClientMessageIdLength} characters, e.g. a UUID made once per message.");
        validation.Require(!string.IsNullOrWhiteSpace(text) && text.Length <= MaxTextLength,
            "text", $"Required: 1-{MaxTextLength} characters, not only spaces.");
        return validation;
    }

    public async Task<SendResult> SendAsync(Guid senderId, Guid conversationId, string? clientMessageId, string? text, CancellationToken ct)
    {
        var validation = Validate(clientMessageId, text);
        if (!validation.IsValid)
        {
            return new SendResult(SendOutcome.Invalid, Validation: validation);
        }

        if (!await conversations.IsParticipantAsync(conversationId, senderId, ct))
        {
            return new SendResult(SendOutcome.NotFound);
        }

        if (await FindAsync(conversationId, senderId, clientMessageId!, ct) is { } earlier)
        {
            return new SendResult(SendOutcome.Duplicate, earlier);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var seq = await db.Database.SqlQuery<long>($"""
            UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = {now} WHERE id = {conversationId} RETURNING last_seq AS "Value"
            """).ToListAsync(ct) is [var next] ? next : throw new InvalidOperationException($"Conversation {conversationId} is gone.");

        // Under the row lock a resend racing the first send sees it committed: give the seq back, return the first.
        if (await FindAsync(conversationId, senderId, clientMessageId!, ct) is { } raced)
        {
            await transaction.RollbackAsync(ct);
            return new SendResult(SendOutcome.Duplicate, raced);
        }

        var message = new Message
        {
            Id = Guid.CreateVersion7(), ConversationId = conversationId, Seq = seq, SenderId = senderId,
            ClientMessageId = clientMessageId!, Text = text!, SentAt = now,
        };
        db.Messages.Add(message);
        var participants = await conversations.ParticipantIdsAsync(conversationId, ct);
        db.AddIntegrationEvent(new ChatMessageSent(message.Id, conversationId, seq, senderId,
            [.. participants.Where(p => p != senderId)], Preview(message.Text)) { OccurredAt = now });
        await db.SaveChangesAsync(ct);
        // Sending is reading: my own message (and what came before it) is not unread for me.
        await db.Database.ExecuteSqlAsync(
            $"UPDATE participants SET read_up_to = GREATEST(read_up_to, {seq}) WHERE conversation_id = {conversationId} AND user_id = {senderId}", ct);
        await transaction.CommitAsync(ct);

        var response = MessageResponse.From(message);
        await hub.Clients.Users(participants.Select(p => p.ToString())).SendAsync(HubEvents.Message, response, CancellationToken.None);
        return new SendResult(SendOutcome.Sent, response);
    }

    private async Task<MessageResponse?> FindAsync(Guid conversationId, Guid senderId, string clientMessageId, CancellationToken ct) =>
        await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.SenderId == senderId && m.ClientMessageId == clientMessageId)
            .Select(m => MessageResponse.From(m)).SingleOrDefaultAsync(ct);

    private static string Preview(string text) => text.Length <= PreviewLength ? text : text[..PreviewLength] + "…";

    /// <summary>MarkRead: moves my readUpTo forward (never back, never past the last message) and tells the others.</summary>
    public async Task<long?> MarkReadAsync(Guid userId, Guid conversationId, long seq, CancellationToken ct)
    {
        var updated = await db.Database.SqlQuery<long>($"""
            UPDATE participants p SET read_up_to = GREATEST(p.read_up_to, LEAST({seq}, c.last_seq))
            FROM conversations c
            WHERE c.id = p.conversation_id AND p.conversation_id = {conversationId} AND p.user_id = {userId} AND p.left_at IS NULL
            RETURNING p.read_up_to AS "Value"
            """).ToListAsync(ct);
        if (updated.Count == 0)
        {
            return null;
        }

        var participants = await conversations.ParticipantIdsAsync(conversationId, ct);
        await hub.Clients.Users(participants.Select(p => p.ToString()))
            .SendAsync(HubEvents.Read, new ReadEvent(conversationId, userId, updated[0]), CancellationToken.None);
        return updated[0];
    }
}
