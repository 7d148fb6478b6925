using Ahod.Marketplace.Data;
using Ahod.Marketplace.Images;
using Ahod.Marketplace.Requests;
using Ahod.Messaging.Consumers;
using Ahod.Messaging.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Marketplace.Events;

/// <summary>
/// GDPR erasure: the user's listings are closed (they stay for the other party's history of requests and reviews, with
/// no images), their images are deleted, the texts they wrote (requests' messages, reviews) are replaced and their
/// reviews lose the author. Ratings stay, so a listing's average does not change behind its owner's back. Deals the user
/// had not paid for end: what they asked for is cancelled, what was asked of them declined, and the other party hears of it
/// (<c>listing.request-updated</c>). A paid request holds money in escrow, which Payments' erasure check refuses to cut
/// loose, so an erased user has none: it was completed, cancelled or declined first.
/// </summary>
public sealed class UserErasedHandler(MarketplaceDbContext db, IImageStore store, TimeProvider clock) : IIntegrationEventHandler<UserErased>
{
    public const string ErasedText = "[erased]";

    public const string AccountErasedReason = "The account of the other party was erased.";

    public async Task HandleAsync(UserErased integrationEvent, CancellationToken cancellationToken)
    {
        var userId = integrationEvent.UserId;
        var now = clock.GetUtcNow();
        var listings = await db.Listings.Where(l => l.OwnerId == userId).ToListAsync(cancellationToken);
        foreach (var listing in listings)
        {
            listing.Status = ListingStatuses.Closed;
            listing.Title = ErasedText;
            listing.Description = ErasedText;
            listing.UpdatedAt = now;
        }

        var listingIds = listings.Select(l => l.Id).ToList();
        var images = await db.Images.Where(i => listingIds.Contains(i.ListingId)).ToListAsync(cancellationToken);
        db.Images.RemoveRange(images);

        await db.Requests.Where(r => r.RequesterId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Message, ErasedText).SetProperty(r => r.Reason, (string?)null), cancellationToken);
        await db.Reviews.Where(r => r.AuthorId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Text, ErasedText).SetProperty(r => r.AuthorId, (Guid?)null), cancellationToken);
        await EndOpenRequestsAsync(userId, now, cancellationToken);

        // Files go now; a redelivery after a failed commit finds no rows and deletes nothing twice.
        foreach (var image in images)
        {
            await store.DeleteImageAsync(image.ListingId, image.Id, cancellationToken);
        }
    }

    private async Task EndOpenRequestsAsync(Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Locked like every other change of a request, so an owner accepting at this moment waits and then finds it ended.
        string[] unpaid = [RequestStatuses.New, RequestStatuses.Seen, RequestStatuses.Accepted];
        var open = await db.Requests.FromSql($"""
            SELECT * FROM requests
            WHERE (requester_id = {userId} OR owner_id = {userId}) AND status = ANY({unpaid})
            ORDER BY id FOR UPDATE
            """).ToListAsync(cancellationToken);
        foreach (var request in open)
        {
            request.Status = request.RequesterId == userId ? RequestStatuses.Cancelled : RequestStatuses.Declined;
            request.Reason = AccountErasedReason;
            RequestsEndpoints.Touch(db, request, now, request.Reason);
        }
    }
}
