using Ahod.Marketplace.Data;
using Ahod.Marketplace.Requests;
using Ahod.Messaging.Consumers;
using Ahod.Messaging.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Marketplace.Events;

/// <summary>
/// Payments expired an escrow hold nobody settled: the paid request goes back to accepted, so it can be paid anew
/// (or cancelled). Posted and voided holds were settled by this service itself; their events change nothing.
/// </summary>
public sealed class HoldReleasedHandler(MarketplaceDbContext db, TimeProvider clock) : IIntegrationEventHandler<PaymentHoldReleased>
{
    public async Task HandleAsync(PaymentHoldReleased integrationEvent, CancellationToken cancellationToken)
    {
        if (integrationEvent.Outcome != "expired" || !Guid.TryParse(integrationEvent.Reference, out var requestId))
        {
            return;
        }

        var request = await RequestsEndpoints.LockAsync(db, requestId, cancellationToken);
        if (request is null || request.HoldId != integrationEvent.HoldId || request.Status != RequestStatuses.Paid)
        {
            return;
        }

        EscrowService.BackToAccepted(request);
        RequestsEndpoints.Touch(db, request, clock.GetUtcNow(), "The payment expired before completion.");
        // No SaveChanges: the consumer saves these changes together with the inbox record.
    }
}
