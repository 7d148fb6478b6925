using Ahod.Chat.Conversations;
using Ahod.Chat.Data;
using Ahod.Chat.Notifications;
using Ahod.Messaging.Consumers;
using Ahod.Messaging.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Chat.Events;

/// <summary>A request opens the listing conversation between requester and owner; both sides hear of each change.</summary>
public sealed class ListingRequestHandler(ChatDbContext db, ConversationStore conversations, NotificationWriter notifications)
    : IIntegrationEventHandler<ListingRequestCreated>, IIntegrationEventHandler<ListingRequestUpdated>
{
    public async Task HandleAsync(ListingRequestCreated e, CancellationToken ct)
    {
        var listing = await db.Listings.SingleOrDefaultAsync(l => l.Id == e.ListingId, ct);
        if (listing is null)
        {
            db.Listings.Add(new ListingInfo { Id = e.ListingId, OwnerId = e.OwnerUserId, Title = e.ListingTitle });
        }
        else
        {
            listing.Title = e.ListingTitle;
        }

        var (conversation, _) = await conversations.FindOrCreateAsync(ConversationStore.ListingKey(e.ListingId, e.RequesterUserId),
            ConversationTypes.Listing, e.ListingTitle, [e.RequesterUserId, e.OwnerUserId], e.ListingId, null, ct);
        notifications.Add(e.OwnerUserId, e.Id, NotificationTypes.ListingRequest, "New request",
            $"Someone wants to {e.Kind} \"{e.ListingTitle}\".",
            new { e.RequestId, e.ListingId, e.RequesterUserId, e.Kind, conversationId = conversation.Id });
    }

    public Task HandleAsync(ListingRequestUpdated e, CancellationToken ct)
    {
        // The owner moves a request to seen/accepted/declined, the requester cancels; either completes it.
        Guid[] recipients = e.Status switch
        {
            "cancelled" => [e.OwnerUserId],
            "completed" => [e.RequesterUserId, e.OwnerUserId],
            _ => [e.RequesterUserId],
        };
        foreach (var user in recipients)
        {
            notifications.Add(user, e.Id, NotificationTypes.RequestUpdated, $"Request {e.Status}",
                e.Reason is { Length: > 0 } reason ? $"The request is now {e.Status}: {reason}" : $"The request is now {e.Status}.",
                new { e.RequestId, e.ListingId, e.Status, e.Reason });
        }

        return Task.CompletedTask;
    }
}
