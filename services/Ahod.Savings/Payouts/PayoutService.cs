using System.Security.Cryptography;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.Savings.Cycles;
using Ahod.Savings.Data;
using Ahod.Savings.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Payouts;

/// <summary>How closing went: the closed cycle, or why not (an HTTP status with a sentence for the admin).</summary>
internal sealed record CloseOutcome(Cycle? Cycle, bool ClosedNow, int Status = 200, string? Title = null, string? Detail = null)
{
    public static CloseOutcome Refused(int status, string title, string detail) => new(null, false, status, title, detail);
}

/// <summary>
/// Closing a cycle is a small saga, safe to resume from any step after a crash or a Payments outage:
/// 1. under the community's row lock, fix the recipient (and seed or winning bid), the amounts and the ledger
///    transfer ids, and mark the cycle <c>closing</c>;
/// 2. make the pot → wallet transfers (ids are deterministic, so Payments replays rather than pays twice);
/// 3. mark the cycle closed, record a loan payment, write <c>community.payout-made</c> and open the next cycle.
/// The pot cannot go negative: amounts come from what this service recorded as paid in, and Payments refuses overdrafts.
/// </summary>
public sealed class PayoutService(SavingsDbContext db, PaymentsClient payments, TimeProvider clock, ILogger<PayoutService> logger)
{
    internal async Task<CloseOutcome> CloseAsync(Guid communityId, int number, Guid? closedBy, CancellationToken cancellationToken)
    {
        var prepared = await PrepareAsync(communityId, number, closedBy, cancellationToken);
        if (prepared.Cycle is null || prepared.Cycle.Status == CycleStatuses.Closed)
        {
            return prepared;
        }

        var paid = await PayAsync(prepared.Cycle, cancellationToken);
        return paid ?? await CompleteAsync(communityId, number, cancellationToken);
    }

    private async Task<CloseOutcome> PrepareAsync(Guid communityId, int number, Guid? closedBy, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var community = await db.Communities.FromSql($"SELECT * FROM communities WHERE id = {communityId} FOR UPDATE").SingleAsync(cancellationToken);
        var cycle = await db.Cycles.SingleOrDefaultAsync(c => c.CommunityId == communityId && c.Number == number, cancellationToken);
        if (cycle is null)
        {
            return CloseOutcome.Refused(StatusCodes.Status404NotFound, "Not found.", $"Cycle {number} does not exist.");
        }

        if (cycle.Status != CycleStatuses.Open)
        {
            // Closed: replay. Closing: an earlier attempt fixed everything; carry on from step 2.
            return new CloseOutcome(cycle, false);
        }

        var eligible = await RecipientSelection.EligibleAsync(db, community, cancellationToken);
        if (eligible.Count == 0)
        {
            return CloseOutcome.Refused(StatusCodes.Status422UnprocessableEntity, "Nobody can receive this cycle.",
                "Every active member has received in this season or is suspended; reinstate a member or wait for new members.");
        }

        var pot = await RecipientSelection.PotBalanceAsync(db, communityId, cancellationToken);
        if (pot <= 0)
        {
            return CloseOutcome.Refused(StatusCodes.Status422UnprocessableEntity, "The pot is empty.",
                $"Nobody has paid into cycle {number} yet; there is nothing to pay out.");
        }

        var now = clock.GetUtcNow();
        Member recipient;
        long discount = 0;
        switch (community.PayoutMethod)
        {
            case PayoutMethods.RandomDraw:
                var seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8));
                recipient = RecipientSelection.Draw(eligible, seed);
                cycle.DrawSeed = seed;
                break;
            case PayoutMethods.Bidding:
                var eligibleIds = eligible.Select(m => m.UserId).ToHashSet();
                var bids = await db.Bids.Where(b => b.CommunityId == communityId && b.CycleNumber == number).ToListAsync(cancellationToken);
                var winning = bids.Where(b => eligibleIds.Contains(b.UserId))
                    .OrderBy(b => b.Discount).ThenBy(b => b.CreatedAt).FirstOrDefault();
                // No bids: the pot goes by rotation order, with no discount.
                recipient = winning is null ? eligible[0] : eligible.Single(m => m.UserId == winning.UserId);
                discount = Math.Min(winning?.Discount ?? 0, pot - 1);
                cycle.WinningDiscount = discount;
                break;
            default:
                recipient = eligible[0];
                break;
        }

        var payees = new List<PotDisbursement>();
        if (discount > 0)
        {
            // The discount belongs to those whose money made up the pot: the others who paid this cycle.
            var others = await db.Contributions
                .Where(c => c.CommunityId == communityId && c.CycleNumber == number && c.MemberUserId != recipient.UserId)
                .Select(c => c.MemberUserId).Distinct().OrderBy(u => u).ToListAsync(cancellationToken);
            var share = others.Count == 0 ? 0 : discount / others.Count;
            if (share > 0)
            {
                payees.AddRange(others.Select(u => Disbursement(communityId, number, u, "dividend", share, now)));
            }
        }

        var payout = pot - payees.Sum(p => p.Amount);
        payees.Insert(0, Disbursement(communityId, number, recipient.UserId, "payout", payout, now));
        db.Disbursements.AddRange(payees);

        cycle.Status = CycleStatuses.Closing;
        cycle.RecipientUserId = recipient.UserId;
        cycle.PayoutAmount = payout;
        cycle.PayoutTransferId = payees[0].TransferId;
        cycle.PayoutLoanId = recipient.PayoutLoanId;
        cycle.ClosedBy = closedBy;

        if (now > ContributionService.LateAfter(cycle, community))
        {
            await StrikeMissedAsync(db, community, cycle, now, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Cycle {Cycle} of {Community}: {Recipient} receives {Amount} ({Method}).",
            number, communityId, recipient.UserId, payout, community.PayoutMethod);
        return new CloseOutcome(cycle, true);
    }

    /// <summary>Step 2: null when every transfer is made, otherwise why the cycle stays <c>closing</c>.</summary>
    private async Task<CloseOutcome?> PayAsync(Cycle cycle, CancellationToken cancellationToken)
    {
        var community = await db.Communities.AsNoTracking().SingleAsync(c => c.Id == cycle.CommunityId, cancellationToken);
        var pending = await db.Disbursements.AsNoTracking()
            .Where(d => d.CommunityId == cycle.CommunityId && d.CycleNumber == cycle.Number && d.Status == "pending")
            .OrderBy(d => d.Kind == "payout" ? 0 : 1)
            .ToListAsync(cancellationToken);
        foreach (var disbursement in pending)
        {
            var wallet = await payments.FindWalletAsync(disbursement.UserId, community.Currency, cancellationToken);
            if (wallet is null)
            {
                return CloseOutcome.Refused(StatusCodes.Status422UnprocessableEntity, "The payee has no wallet in this currency.",
                    $"Member {disbursement.UserId} needs a {community.Currency} wallet; the payout stays pending and is retried.");
            }

            var outcome = await payments.TransferAsync(
                disbursement.TransferId, community.PotAccountId!.Value, wallet.Id, disbursement.Amount, community.Currency, "payout",
                new { communityId = community.Id, cycle = cycle.Number, kind = disbursement.Kind, loanId = disbursement.Kind == "payout" ? cycle.PayoutLoanId : null },
                cancellationToken);
            if (!outcome.Succeeded)
            {
                logger.LogError("Payments refused the {Kind} {Transfer} of cycle {Cycle} of {Community}: {Title} {Detail}",
                    disbursement.Kind, disbursement.TransferId, cycle.Number, community.Id, outcome.RefusalTitle, outcome.RefusalDetail);
                return CloseOutcome.Refused(StatusCodes.Status422UnprocessableEntity, outcome.RefusalTitle ?? "The ledger refused the payout.",
                    $"{outcome.RefusalDetail} The cycle stays closing and nothing was paid twice; retry once resolved.");
            }

            await db.Disbursements.Where(d => d.TransferId == disbursement.TransferId)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, "posted"), cancellationToken);
        }

        return null;
    }

    private async Task<CloseOutcome> CompleteAsync(Guid communityId, int number, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.ChangeTracker.Clear();
        var community = await db.Communities.FromSql($"SELECT * FROM communities WHERE id = {communityId} FOR UPDATE").SingleAsync(cancellationToken);
        var cycle = await db.Cycles.SingleAsync(c => c.CommunityId == communityId && c.Number == number, cancellationToken);
        if (cycle.Status == CycleStatuses.Closed)
        {
            return new CloseOutcome(cycle, false);
        }

        var now = clock.GetUtcNow();
        cycle.Status = CycleStatuses.Closed;
        cycle.ClosedAt = now;

        if (cycle.PayoutLoanId is { } loanId &&
            await db.Loans.SingleOrDefaultAsync(l => l.Id == loanId && l.UserId == cycle.RecipientUserId, cancellationToken) is { } loan)
        {
            db.LoanPayments.Add(new LoanPayment
            {
                Id = Guid.CreateVersion7(),
                LoanId = loan.Id,
                Amount = cycle.PayoutAmount!.Value,
                Source = "payout",
                CommunityId = communityId,
                CycleNumber = number,
                TransferId = cycle.PayoutTransferId,
                CreatedAt = now,
            });
            loan.BalanceAmount = Math.Max(0, loan.BalanceAmount - cycle.PayoutAmount.Value);
            loan.UpdatedAt = now;
        }

        db.AddIntegrationEvent(new CommunityPayoutMade(
            communityId, number, cycle.RecipientUserId!.Value, cycle.PayoutTransferId!.Value, cycle.PayoutAmount!.Value, community.Currency)
        { OccurredAt = now });
        await db.SaveChangesAsync(cancellationToken);

        // Everyone eligible has received once: the next cycle starts a new season.
        if ((await RecipientSelection.EligibleAsync(db, community, cancellationToken)).Count == 0)
        {
            community.Season++;
        }

        if (!await db.Cycles.AnyAsync(c => c.CommunityId == communityId && c.Number == number + 1, cancellationToken))
        {
            var due = Frequencies.Next(community.Frequency, cycle.DueAt);
            db.Cycles.Add(new Cycle
            {
                CommunityId = communityId,
                Number = number + 1,
                Season = community.Season,
                OpensAt = now,
                DueAt = due > now ? due : Frequencies.Next(community.Frequency, now),
                Status = CycleStatuses.Open,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new CloseOutcome(cycle, true);
    }

    /// <summary>Members who had not paid when due date + grace passed get a strike for the cycle (once).</summary>
    internal static async Task StrikeMissedAsync(SavingsDbContext db, Community community, Cycle cycle, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var owing = await db.Members
            .Where(m => m.CommunityId == community.Id && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended) &&
                        m.JoinedAt <= cycle.DueAt &&
                        !db.Contributions.Any(c => c.CommunityId == community.Id && c.CycleNumber == cycle.Number && c.MemberUserId == m.UserId))
            .Select(m => m.UserId)
            .ToListAsync(cancellationToken);
        foreach (var userId in owing)
        {
            await ContributionService.AddStrikeAsync(db, community, cycle.Number, userId, "missed", now, cancellationToken);
        }

        cycle.MissedCheckedAt = now;
    }

    private static PotDisbursement Disbursement(Guid communityId, int number, Guid userId, string kind, long amount, DateTimeOffset now) => new()
    {
        TransferId = PaymentsClient.DeterministicId(kind == "payout" ? $"payout:{communityId}:{number}" : $"dividend:{communityId}:{number}:{userId}"),
        CommunityId = communityId,
        CycleNumber = number,
        UserId = userId,
        Kind = kind,
        Amount = amount,
        Status = "pending",
        CreatedAt = now,
    };
}
