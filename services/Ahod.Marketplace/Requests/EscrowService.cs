using Ahod.Contracts.Payments;
using Ahod.Marketplace.Clients;
using Ahod.Marketplace.Data;
using Microsoft.Extensions.Options;

namespace Ahod.Marketplace.Requests;

/// <summary>What escrow made of a status change: refused (with what to answer) and whether the request changed anyway.</summary>
public sealed record EscrowResult(ProblemHttpResult? Refusal, bool Applied);

/// <summary>
/// The money side of a request, through Payments' holds: paying places a hold on the payer's wallet in favour of the
/// payee's; completion posts it; cancel or decline voids it; Payments expires a hold nobody settled. The caller holds
/// the request's row lock, so one request never has two of these in flight.
/// </summary>
public sealed class EscrowService(PaymentsClient payments, IOptions<MarketplaceOptions> options, ILogger<EscrowService> logger)
{
    /// <summary>The hold for the request's current attempt: the same attempt always asks for the same hold.</summary>
    public static Guid HoldIdFor(ListingRequest request) => PaymentsClient.DeterministicId($"hold:{request.Id:N}:{request.PaymentAttempt}");

    /// <summary>Places the hold and records it on the request; a ProblemDetails when a rule refused it (nothing changed).</summary>
    public async Task<ProblemHttpResult?> HoldAsync(ListingRequest request, Guid payerId, CancellationToken cancellationToken)
    {
        var payeeId = payerId == request.OwnerId ? request.RequesterId : request.OwnerId;
        var from = await payments.FindWalletAsync(payerId, request.Currency, cancellationToken);
        if (from is null)
        {
            return Problems.Rule("No wallet.", $"You have no {request.Currency} wallet to pay from.");
        }

        var to = await payments.FindWalletAsync(payeeId, request.Currency, cancellationToken);
        if (to is null)
        {
            return Problems.Rule("No wallet.", $"The other party has no {request.Currency} wallet to be paid into.");
        }

        var holdId = HoldIdFor(request);
        var outcome = await payments.PlaceHoldAsync(holdId, from.Value, to.Value, request.PriceAmount, request.Currency, options.Value.HoldTimeout, request.Id, cancellationToken);
        if (!outcome.Succeeded)
        {
            return Problems.Status(outcome.HttpStatus == 404 ? 422 : outcome.HttpStatus, outcome.Title ?? "Payments refused the payment.", outcome.Detail ?? "");
        }

        request.HoldId = holdId;
        request.PaymentStatus = outcome.Status;
        return null;
    }

    /// <summary>Settles the hold for a move to <paramref name="target"/>; null when the move involves no money.</summary>
    public async Task<EscrowResult?> SettleForAsync(ListingRequest request, string target, CancellationToken cancellationToken)
    {
        if (request.Status == RequestStatuses.Accepted && target is RequestStatuses.Cancelled or RequestStatuses.Declined)
        {
            await VoidOrphanAsync(request, cancellationToken);
            return null;
        }

        if (request.Status != RequestStatuses.Paid || request.HoldId is not { } holdId)
        {
            return null;
        }

        if (target == RequestStatuses.Completed)
        {
            var posted = await payments.PostHoldAsync(holdId, PaymentsClient.DeterministicId($"post:{holdId:N}"), cancellationToken);
            if (posted.Succeeded)
            {
                request.PaymentStatus = "posted";
                return new EscrowResult(null, true);
            }

            if (IsExpired(posted))
            {
                BackToAccepted(request);
                return new EscrowResult(Problems.Conflict("The payment's hold expired before completion; the request is accepted again and can be paid anew."), true);
            }

            return new EscrowResult(Problems.Conflict($"Payments refused to release the payment: {posted.Detail}"), false);
        }

        var voided = await payments.VoidHoldAsync(holdId, cancellationToken);
        if (voided.Succeeded)
        {
            request.PaymentStatus = "voided";
            return new EscrowResult(null, true);
        }

        if (IsExpired(voided))
        {
            // The money is already back with the payer.
            request.PaymentStatus = "expired";
            return new EscrowResult(null, true);
        }

        if (voided.Detail?.Contains("posted", StringComparison.Ordinal) == true)
        {
            // A completion whose answer was lost (crash after Payments posted): the payee has the money, so it is complete.
            request.Status = RequestStatuses.Completed;
            request.PaymentStatus = "posted";
            return new EscrowResult(Problems.Conflict("The payment was already released to the payee; the request is completed."), true);
        }

        return new EscrowResult(Problems.Conflict($"Payments refused to return the payment: {voided.Detail}"), false);
    }

    /// <summary>Payments let the hold expire: the request is accepted again and the next payment is a new hold.</summary>
    public static void BackToAccepted(ListingRequest request)
    {
        request.Status = RequestStatuses.Accepted;
        request.PaymentStatus = "expired";
        request.PaymentKey = null;
        request.PaymentAttempt++;
    }

    private static bool IsExpired(HoldOutcome outcome) =>
        outcome.Code == LedgerReasons.HoldExpired || (outcome.Code == LedgerReasons.HoldNotPending && outcome.Detail?.Contains("expired", StringComparison.Ordinal) == true);

    /// <summary>
    /// A payment whose hold Payments placed but whose answer never reached us (crash, timeout) left the request accepted
    /// with a hold nobody knows of; leaving the deal returns that money now instead of at the hold's expiry.
    /// </summary>
    private async Task VoidOrphanAsync(ListingRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await payments.VoidHoldAsync(HoldIdFor(request), cancellationToken);
        }
        catch (ServiceUnavailableException e)
        {
            logger.LogWarning(e, "Could not void a possible orphan hold of request {RequestId}; it expires by itself", request.Id);
        }
    }
}
