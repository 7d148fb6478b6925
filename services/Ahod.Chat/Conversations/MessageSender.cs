using Ahod.Chat.Data;
using System.Text.Json;
using Ahod.Chat.Hubs;
using Ahod.Chat.Notifications;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ahod.Chat.Conversations;

public enum SendOutcome { Sent, Duplicate, NotFound, Invalid }

public sealed record SendResult(SendOutcome Outcome, MessageResponse? Message = null, Validation? Validation = null);

/// <summary>
/// SendMessage for the hub and the HTTP API: stored, then delivered. The conversation's own row is the only lock:
/// <c>last_seq + 1</c> is taken under it by the one statement that also inserts the message, its outbox event and the
/// sender's read mark, so seq is gap-free per conversation (a failed statement gives the number back), senders in
/// different conversations never wait on each other, and senders in one conversation wait for one statement each,
/// not for a transaction of several round trips. The same statement stores a notification for each recipient with no
/// live connection, so the message and the news of it commit together (the message's <c>chat.message-sent</c> event is
/// for other services: Chat does not need a round trip through RabbitMQ to tell its own users).
/// </summary>
public sealed class MessageSender(
    ChatDbContext db, ConversationStore conversations, Presence presence, IHubContext<ChatHub> hub, IOutboxSignal outbox, TimeProvider clock)
{
    public const int MaxTextLength = 4000;
    public const int MaxClientMessageIdLength = 100;
    public const int PreviewLength = 100;
    public const string NotificationTitle = "New message";

    /// <summary>Where <see cref="ChatMessageSent.Sequence"/> sits in the event's camelCase JSON.</summary>
    private static readonly string[] SequencePath = ["sequence"];

    /// <summary>Where <see cref="NewMessageData.Seq"/> sits in a notification's camelCase data.</summary>
    private static readonly string[] NotificationSeqPath = ["seq"];

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

        // Before any lock: the sender must take part (and the others are who hear of the message).
        var participants = await conversations.ParticipantIdsAsync(conversationId, ct);
        if (!participants.Contains(senderId))
        {
            return new SendResult(SendOutcome.NotFound);
        }

        var now = clock.GetUtcNow();
        var message = new Message
        {
            Id = Guid.CreateVersion7(), ConversationId = conversationId, SenderId = senderId,
            ClientMessageId = clientMessageId!, Text = text!, SentAt = now,
        };
        // The sequence is only known under the lock: the statement writes it into the event and the notifications (jsonb_set).
        List<Guid> recipients = [.. participants.Where(p => p != senderId)];
        var preview = Preview(message.Text);
        var sent = OutboxMessage.From(new ChatMessageSent(message.Id, conversationId, Sequence: 0, senderId, recipients, preview) { OccurredAt = now });
        var notifications = (await presence.OfflineAsync(recipients)).Select(user => NotificationWriter.New(user, sent.Id,
            NotificationTypes.NewMessage, NotificationTitle, preview, new NewMessageData(conversationId, message.Id, 0, senderId), now)).ToList();
        var notificationIds = notifications.Select(n => n.Id).ToArray();
        var notifiedUsers = notifications.Select(n => n.UserId).ToArray();
        var notificationData = notifications.FirstOrDefault()?.Data ?? "{}";
        List<long> seq;
        try
        {
            // Sending is reading: my own message (and what came before it) is not unread for me.
            seq = await db.Database.SqlQuery<long>($"""
                WITH next AS (
                    UPDATE conversations SET last_seq = last_seq + 1, last_activity_at = {now}
                    WHERE id = {conversationId} AND NOT EXISTS (
                        SELECT 1 FROM messages
                        WHERE conversation_id = {conversationId} AND sender_id = {senderId} AND client_message_id = {message.ClientMessageId})
                    RETURNING last_seq),
                message AS (
                    INSERT INTO messages (id, conversation_id, seq, sender_id, client_message_id, text, sent_at, erased)
                    SELECT {message.Id}, {conversationId}, next.last_seq, {senderId}, {message.ClientMessageId}, {message.Text}, {now}, false
                    FROM next
                    RETURNING seq),
                event AS (
                    INSERT INTO outbox_messages (id, type, payload, occurred_at, created_at, attempts, trace_parent)
                    SELECT {sent.Id}, {sent.Type}, jsonb_set({sent.Payload}::jsonb, {SequencePath}, to_jsonb(message.seq)), {sent.OccurredAt},
                        {sent.CreatedAt}, 0, {sent.TraceParent}
                    FROM message),
                mark AS (
                    UPDATE participants SET read_up_to = GREATEST(read_up_to, message.seq)
                    FROM message WHERE conversation_id = {conversationId} AND user_id = {senderId}),
                notified AS (
                    INSERT INTO notifications (id, user_id, type, title, body, data, source_event_id, created_at)
                    SELECT n.id, n.user_id, {NotificationTypes.NewMessage}, {NotificationTitle}, {preview},
                        jsonb_set({notificationData}::jsonb, {NotificationSeqPath}, to_jsonb(message.seq)), {sent.Id}, {now}
                    FROM message, unnest({notificationIds}, {notifiedUsers}) AS n(id, user_id))
                SELECT seq AS "Value" FROM message
                """).ToListAsync(ct);
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: ChatDbContext.UniqueClientMessageIndex })
        {
            // A resend raced its first send (both passed NOT EXISTS): the whole statement failed, its seq too; answer with the first.
            return await FindAsync(conversationId, senderId, clientMessageId!, ct) is { } raced
                ? new SendResult(SendOutcome.Duplicate, raced)
                : throw new InvalidOperationException($"Message {clientMessageId} collided with one that is gone.", e);
        }

        if (seq is not [var assigned])
        {
            // Nothing written: a resend of a stored message (answered with it), or the conversation is gone.
            return await FindAsync(conversationId, senderId, clientMessageId!, ct) is { } earlier
                ? new SendResult(SendOutcome.Duplicate, earlier)
                : new SendResult(SendOutcome.NotFound);
        }

        outbox.Notify([sent.Id]);
        message.Seq = assigned;
        var response = MessageResponse.From(message);
        await hub.Clients.Users(participants.Select(p => p.ToString())).SendAsync(HubEvents.Message, response, CancellationToken.None);
        // The live copies carry the seq the statement wrote into the stored ones; the data is the same for every recipient.
        var data = notifications.Count == 0
            ? "{}"
            : JsonSerializer.Serialize(new NewMessageData(conversationId, message.Id, assigned, senderId), JsonSerializerOptions.Web);
        foreach (var notification in notifications)
        {
            notification.Data = data;
            await NotificationWriter.PushAsync(hub, notification);
        }

        return new SendResult(SendOutcome.Sent, response);
    }

    private async Task<MessageResponse?> FindAsync(Guid conversationId, Guid senderId, string clientMessageId, CancellationToken ct) =>
        await db.Messages.AsNoTracking()
            .Where(m => m.ConversationId == conversationId && m.SenderId == senderId && m.ClientMessageId == clientMessageId)
            .Select(m => MessageResponse.From(m)).SingleOrDefaultAsync(ct);

    /// <summary>A new-message notification's data: what a client needs to open the message.</summary>
    private sealed record NewMessageData(Guid ConversationId, Guid MessageId, long Seq, Guid SenderId);

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
