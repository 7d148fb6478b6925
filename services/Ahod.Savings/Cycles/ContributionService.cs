using Ahod.Savings.Communities;
using Ahod.Savings.Data;
using Ahod.Savings.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ahod.Savings.Cycles;

/// <summary>
/// Paying a cycle: one ledger transfer wallet → pot whose id is derived from (community, cycle, member), so the
/// member pays each cycle at most once whoever retries, then the record of it (with strike and fee when late).
/// </summary>
public sealed class ContributionService(SavingsDbContext db, PaymentsClient payments, TimeProvider clock, ILogger<ContributionService> logger)
{
    internal async Task<Results<Ok<ContributionResponse>, Created<ContributionResponse>, ValidationProblem, ProblemHttpResult>> ContributeAsync(
        CommunityAccess access, Guid callerId, ContributeRequest request, string idempotencyKey, CancellationToken cancellationToken)
    {
        var community = access.Community;
        var communityId = community.Id;
        var memberId = request.OnBehalfOf ?? callerId;
        var beneficiary = memberId == callerId
            ? access.Membership
            : await db.Members.AsNoTracking().SingleOrDefaultAsync(m => m.CommunityId == communityId && m.UserId == memberId, cancellationToken);
        if (beneficiary is not { Status: MemberStatuses.Active or MemberStatuses.Suspended })
        {
            return Problems.Invalid("onBehalfOf", "Not a current member of this community.");
        }

        var cycle = request.CycleNumber is { } number
            ? await db.Cycles.AsNoTracking().SingleOrDefaultAsync(c => c.CommunityId == communityId && c.Number == number, cancellationToken)
            : await db.Cycles.AsNoTracking().Where(c => c.CommunityId == communityId && c.Status == CycleStatuses.Open).OrderBy(c => c.Number).FirstOrDefaultAsync(cancellationToken);
        if (cycle is null)
        {
            return Problems.Invalid("cycleNumber", "No such cycle in this community.");
        }

        var existing = await db.Contributions.AsNoTracking()
            .SingleOrDefaultAsync(c => c.CommunityId == communityId && c.CycleNumber == cycle.Number && c.MemberUserId == memberId, cancellationToken);
        if (existing is not null)
        {
            // Idempotent per member and cycle: a second payment, under any key, returns the first.
            return TypedResults.Ok(ToResponse(existing, community.Currency));
        }

        var now = clock.GetUtcNow();
        var late = cycle.Status != CycleStatuses.Open || now > LateAfter(cycle, community);
        var fee = late ? community.LateFeeAmount : 0;

        var pot = community.PotAccountId ?? await OpenPotAsync(community, cancellationToken);
        var wallet = await payments.FindWalletAsync(callerId, community.Currency, cancellationToken);
        if (wallet is null)
        {
            return Problems.Rule("No wallet in this currency.", $"Open a {community.Currency} wallet and fund it, then pay the contribution.");
        }

        var transferId = PaymentsClient.DeterministicId($"contribution:{communityId}:{cycle.Number}:{memberId}");
        var outcome = await payments.TransferAsync(
            transferId, wallet.Id, pot, community.ContributionAmount + fee, community.Currency, "contribution",
            new { communityId, cycle = cycle.Number, member = memberId, paidBy = callerId, lateFee = fee }, cancellationToken);
        if (!outcome.Succeeded)
        {
            var total = new Money(community.ContributionAmount + fee, community.Currency);
            return Problems.Rule(
                outcome.RefusalTitle ?? "The payment was refused.",
                $"Paying {total.Amount} {total.Currency} (contribution{(fee > 0 ? " + late fee" : "")}) for cycle {cycle.Number} was refused: " +
                $"{outcome.RefusalDetail ?? outcome.RefusalTitle}. Nothing was charged.");
        }

        var contribution = new Contribution
        {
            Id = transferId,
            CommunityId = communityId,
            CycleNumber = cycle.Number,
            MemberUserId = memberId,
            PaidByUserId = callerId,
            Amount = community.ContributionAmount,
            LateFee = fee,
            Late = late,
            TransferId = outcome.Transfer!.Id,
            IdempotencyKey = idempotencyKey,
            CreatedAt = now,
        };
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        db.Contributions.Add(contribution);
        if (late)
        {
            await AddStrikeAsync(db, community, cycle.Number, memberId, "late", now, cancellationToken);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: SavingsDbContext.UniqueContributionIndex })
        {
            // A concurrent request for the same member and cycle recorded the same (replayed) transfer first.
            logger.LogInformation("Contribution of {Member} to cycle {Cycle} was recorded concurrently.", memberId, cycle.Number);
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var winner = await db.Contributions.AsNoTracking()
                .SingleAsync(c => c.CommunityId == communityId && c.CycleNumber == cycle.Number && c.MemberUserId == memberId, cancellationToken);
            return TypedResults.Ok(ToResponse(winner, community.Currency));
        }

        return TypedResults.Created($"/api/communities/{communityId}/cycles", ToResponse(contribution, community.Currency));
    }

    /// <summary>When a contribution to the cycle starts to count as late: due date plus the community's grace days.</summary>
    internal static DateTimeOffset LateAfter(Cycle cycle, Community community) => cycle.DueAt.AddDays(community.GraceDays);

    /// <summary>One strike per member and cycle; enough strikes suspend the member from receiving.</summary>
    internal static async Task AddStrikeAsync(SavingsDbContext db, Community community, int cycleNumber, Guid userId, string reason, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (await db.Strikes.AnyAsync(s => s.CommunityId == community.Id && s.CycleNumber == cycleNumber && s.UserId == userId, cancellationToken) ||
            db.Strikes.Local.Any(s => s.CommunityId == community.Id && s.CycleNumber == cycleNumber && s.UserId == userId))
        {
            return;
        }

        db.Strikes.Add(new Strike { CommunityId = community.Id, CycleNumber = cycleNumber, UserId = userId, Reason = reason, CreatedAt = now });
        var member = await db.Members.SingleAsync(m => m.CommunityId == community.Id && m.UserId == userId, cancellationToken);
        member.Strikes++;
        if (community.StrikesUntilSuspension > 0 && member.Strikes >= community.StrikesUntilSuspension && member.Status == MemberStatuses.Active)
        {
            member.Status = MemberStatuses.Suspended;
        }
    }

    private async Task<Guid> OpenPotAsync(Community community, CancellationToken cancellationToken)
    {
        // Idempotent in Payments per owner and currency, so two first contributions racing get the same pot.
        var pot = await payments.EnsurePotAsync(community.Id, community.Currency, cancellationToken);
        await db.Communities.Where(c => c.Id == community.Id && c.PotAccountId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.PotAccountId, pot.Id), cancellationToken);
        community.PotAccountId = pot.Id;
        return pot.Id;
    }

    internal static ContributionResponse ToResponse(Contribution c, string currency) => new(
        c.Id, c.CommunityId, c.CycleNumber, c.MemberUserId, c.PaidByUserId,
        new Money(c.Amount, currency), new Money(c.LateFee, currency), c.Late, c.TransferId, c.CreatedAt);
}
