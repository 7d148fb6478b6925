using System.Globalization;
using Ahod.Savings.Communities;
using Ahod.Savings.Data;
using Ahod.Savings.Ledger;
using Ahod.Savings.Payouts;
using Ahod.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Cycles;

public static class CyclesEndpoints
{
    public static RouteGroupBuilder MapCyclesEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/communities/{id:guid}").RequireAuthorization().WithTags("Cycles");
        group.MapGet("/cycles", ListAsync)
            .RequireCommunity(CommunityRole.Visitor)
            .WithName("ListCycles")
            .WithSummary("The contribution cycles")
            .WithDescription("Each cycle: due date, who paid, who is late, who receives the payout. Oldest first, cursor paged.");
        group.MapPost("/contributions", ContributeAsync)
            .RequireIdempotencyKey()
            .RequireCommunity(CommunityRole.Member, "Only members pay into a community's pot.")
            .WithName("Contribute")
            .WithSummary("Pay my contribution for the current cycle")
            .WithDescription("From my wallet into the community pot; idempotent per member and cycle (paying twice answers the first " +
                "contribution). 422 when the wallet does not hold enough.");
        group.MapPost("/cycles/{number:int}/bids", BidAsync)
            .RequireCommunity(CommunityRole.Member, "Only members bid for the pot.", lockForUpdate: true)
            .WithName("Bid")
            .WithSummary("Bid for a cycle's payout")
            .WithDescription("For bidding communities.");
        group.MapPost("/cycles/{number:int}/payout", PayoutAsync)
            .RequireIdempotencyKey()
            .RequireCommunity(CommunityRole.Admin)
            .WithName("Payout")
            .WithSummary("Close a cycle and pay out (admin)")
            .WithDescription("The pot goes to the recipient's wallet.");
        return group;
    }

    internal static async Task<Results<Ok<Page<CycleResponse>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        Guid id, HttpContext http, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken,
        int? limit = null, string? cursor = null)
    {
        // Oldest first, the cursor is the last cycle number seen.
        var validation = new Validation();
        var take = validation.Limit(limit);
        var after = validation.Cursor<int>(cursor, int.TryParse) ?? 0;
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        var access = http.GetCommunityAccess();
        var community = access.Community;
        var cycles = await db.Cycles.AsNoTracking().Where(c => c.CommunityId == id && c.Number > after)
            .OrderBy(c => c.Number).Take(take + 1).ToListAsync(cancellationToken);
        var last = cycles.Count == 0 ? after : cycles[^1].Number;
        var contributions = await db.Contributions.AsNoTracking()
            .Where(c => c.CommunityId == id && c.CycleNumber > after && c.CycleNumber <= last).ToListAsync(cancellationToken);
        var disbursements = await db.Disbursements.AsNoTracking()
            .Where(d => d.CommunityId == id && d.CycleNumber > after && d.CycleNumber <= last).ToListAsync(cancellationToken);
        var bids = await db.Bids.AsNoTracking().Where(b => b.CommunityId == id && b.CycleNumber > after && b.CycleNumber <= last).ToListAsync(cancellationToken);
        var owing = await db.Members.AsNoTracking()
            .Where(m => m.CommunityId == id && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended))
            .ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var currency = community.Currency;

        var result = cycles.Select(c =>
        {
            var paid = contributions.Where(x => x.CycleNumber == c.Number).ToList();
            var unpaid = owing.Where(m => m.JoinedAt <= c.DueAt && paid.All(p => p.MemberUserId != m.UserId)).Select(m => m.UserId).ToList();
            var lateAfter = ContributionService.LateAfter(c, community);
            var late = paid.Where(p => p.Late).Select(p => p.MemberUserId)
                .Concat(now > lateAfter || c.Status != CycleStatuses.Open ? unpaid : [])
                .ToList();
            return new CycleResponse(
                c.Number, c.Season, c.OpensAt, c.DueAt, lateAfter, c.Status,
                paid.Select(p => new CycleContribution(p.MemberUserId, p.PaidByUserId, new Money(p.Amount, currency), new Money(p.LateFee, currency), p.CreatedAt)).ToList(),
                late,
                unpaid,
                c.RecipientUserId,
                c.DrawSeed,
                c.WinningDiscount is { } d ? new Money(d, currency) : null,
                c.PayoutAmount is { } a ? new Money(a, currency) : null,
                c.PayoutLoanId,
                disbursements.Where(x => x.CycleNumber == c.Number)
                    .Select(x => new CycleDisbursement(x.UserId, x.Kind, new Money(x.Amount, currency), x.TransferId, x.Status)).ToList(),
                // Sealed-bid auction: the amounts are revealed once the cycle is no longer open.
                bids.Where(b => b.CycleNumber == c.Number && (c.Status != CycleStatuses.Open || b.UserId == access.Membership?.UserId))
                    .Select(b => new CycleBid(b.UserId, new Money(b.Discount, currency), b.CreatedAt)).ToList(),
                c.ClosedAt);
        }).ToList();
        return TypedResults.Ok(Paging.From(result, take, c => c.Number.ToString(CultureInfo.InvariantCulture)));
    }

    internal static async Task<Results<Ok<ContributionResponse>, Created<ContributionResponse>, ValidationProblem, ProblemHttpResult>> ContributeAsync(
        ContributeRequest request, HttpContext http, ContributionService contributions, CancellationToken cancellationToken)
    {
        try
        {
            return await contributions.ContributeAsync(http.GetCommunityAccess(), http.User.GetUserId(), request, http.GetIdempotencyKey(), cancellationToken);
        }
        catch (PaymentsUnavailableException e)
        {
            return Problems.PaymentsUnavailable(e.Message);
        }
    }

    internal static async Task<Results<Ok<CycleBid>, ValidationProblem, ProblemHttpResult>> BidAsync(
        Guid id, int number, BidRequest request, HttpContext http, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = http.User.GetUserId();
        var community = http.GetCommunityAccess().Community;
        var validation = new Validation();
        validation.Money(request.Discount, "discount", allowZero: true);
        if (request.Discount is not null && request.Discount.Currency != community.Currency)
        {
            validation.Add("discount.currency", $"Must be {community.Currency}, the community's currency.");
        }

        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        if (community.PayoutMethod != PayoutMethods.Bidding)
        {
            return Problems.Rule("This community does not bid.", $"Its payout method is {community.PayoutMethod}.");
        }

        var cycle = await db.Cycles.SingleOrDefaultAsync(c => c.CommunityId == id && c.Number == number, cancellationToken);
        if (cycle is null)
        {
            return Problems.NotFound("cycle");
        }

        if (cycle.Status != CycleStatuses.Open)
        {
            return Problems.Rule("Bidding is over.", $"Cycle {number} is {cycle.Status}.");
        }

        if (!(await RecipientSelection.EligibleAsync(db, community, cancellationToken)).Any(m => m.UserId == userId))
        {
            return Problems.Rule("You cannot bid.", "You have already received in this season, or you are suspended.");
        }

        var members = await db.Members.CountAsync(m => m.CommunityId == id && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended), cancellationToken);
        var fullPot = community.ContributionAmount * members;
        if (request.Discount!.Amount >= fullPot)
        {
            return Problems.Invalid("discount.amount", $"Must be less than the full pot ({fullPot}).");
        }

        var bid = await db.Bids.SingleOrDefaultAsync(b => b.CommunityId == id && b.CycleNumber == number && b.UserId == userId, cancellationToken);
        var now = clock.GetUtcNow();
        if (bid is null)
        {
            bid = new Bid { CommunityId = id, CycleNumber = number, UserId = userId, Discount = request.Discount.Amount, CreatedAt = now };
            db.Bids.Add(bid);
        }
        else
        {
            // Changing a bid re-times it: ties go to the earliest bid, and that must be the one now standing.
            bid.Discount = request.Discount.Amount;
            bid.CreatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.Database.CommitTransactionAsync(cancellationToken);
        return TypedResults.Ok(new CycleBid(userId, new Money(bid.Discount, community.Currency), bid.CreatedAt));
    }

    internal static async Task<Results<Ok<CycleResponse>, ValidationProblem, ProblemHttpResult>> PayoutAsync(
        Guid id, int number, HttpContext http, SavingsDbContext db, PayoutService payouts, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var userId = http.User.GetUserId();
        CloseOutcome outcome;
        try
        {
            outcome = await payouts.CloseAsync(id, number, userId, cancellationToken);
        }
        catch (PaymentsUnavailableException e)
        {
            return Problems.PaymentsUnavailable(e.Message);
        }

        if (outcome.Cycle is null)
        {
            return TypedResults.Problem(statusCode: outcome.Status, title: outcome.Title, detail: outcome.Detail);
        }

        db.ChangeTracker.Clear();
        var list = await ListAsync(id, http, db, clock, cancellationToken, limit: 1, cursor: (number - 1).ToString(CultureInfo.InvariantCulture));
        return list.Result is Ok<Page<CycleResponse>> { Value.Items: [var closed] } && closed.Number == number
            ? TypedResults.Ok(closed)
            : Problems.NotFound();
    }
}
