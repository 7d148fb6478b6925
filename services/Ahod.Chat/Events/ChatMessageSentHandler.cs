using Ahod.Chat.Hubs;
using Ahod.Chat.Notifications;
using Ahod.Messaging.Consumers;
using Ahod.Messaging.Contracts;

namespace Ahod.Chat.Events;

/// <summary>A new message while I am offline waits as a notification (online, the message itself arrived live).</summary>
public sealed class ChatMessageSentHandler(Presence presence, NotificationWriter notifications) : IIntegrationEventHandler<ChatMessageSent>
{
    public async Task HandleAsync(ChatMessageSent e, CancellationToken ct)
    {
        var online = await presence.OnlineAsync(e.RecipientUserIds);
        foreach (var user in e.RecipientUserIds.Except(online))
        {
            notifications.Add(user, e.Id, NotificationTypes.NewMessage, "New message", e.Preview,
                new { e.ConversationId, e.MessageId, seq = e.Sequence, senderId = e.SenderUserId });
        }
    }
}
