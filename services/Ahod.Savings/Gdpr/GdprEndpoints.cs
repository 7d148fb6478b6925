using System.Data;
using Ahod.Savings.Data;
using Ahod.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Gdpr;

public sealed record GdprExport(string Service, object Data);

/// <summary>Everything this service holds about one user, for Identity's export (GDPR art. 15/20).</summary>
public static class GdprEndpoints
{
    public static RouteGroupBuilder MapGdprEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/internal/gdpr").RequireInternalApiKey().WithTags("GDPR");
        group.MapGet("/users/{userId:guid}", ExportAsync);
        return group;
    }

    internal static async Task<IResult> ExportAsync(Guid userId, SavingsDbContext db, CancellationToken cancellationToken)
    {
        // One snapshot for all the reads: without it an erasure committing half-way through the export shows the
        // memberships from before it and the loans from after it (as if the erasure had been applied only in part).
        await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var memberships = await db.Members.AsNoTracking().Where(m => m.UserId == userId)
            .Join(db.Communities, m => m.CommunityId, c => c.Id, (m, c) => new { communityId = c.Id, communityName = c.Name, m.Role, m.Status, m.JoinedAt, m.LeftAt, m.Strikes })
            .ToListAsync(cancellationToken);
        var communitiesCreated = await db.Communities.AsNoTracking().Where(c => c.CreatedBy == userId)
            .Select(c => new { c.Id, c.Name, c.Bio, c.CreatedAt }).ToListAsync(cancellationToken);
        var contributions = await db.Contributions.AsNoTracking().Where(c => c.MemberUserId == userId || c.PaidByUserId == userId)
            .Select(c => new { c.CommunityId, c.CycleNumber, c.MemberUserId, c.PaidByUserId, c.Amount, c.LateFee, c.Late, c.TransferId, c.CreatedAt })
            .ToListAsync(cancellationToken);
        var received = await db.Disbursements.AsNoTracking().Where(d => d.UserId == userId)
            .Select(d => new { d.CommunityId, d.CycleNumber, d.Kind, d.Amount, d.TransferId, d.Status, d.CreatedAt }).ToListAsync(cancellationToken);
        var bids = await db.Bids.AsNoTracking().Where(b => b.UserId == userId).ToListAsync(cancellationToken);
        var strikes = await db.Strikes.AsNoTracking().Where(s => s.UserId == userId).ToListAsync(cancellationToken);
        var pleas = await db.Pleas.AsNoTracking().Where(p => p.UserId == userId).Select(p => new { p.Id, p.CommunityId, p.Title, p.Body, p.Status, p.CreatedAt }).ToListAsync(cancellationToken);
        var votes = await db.PleaVotes.AsNoTracking().Where(v => v.UserId == userId).ToListAsync(cancellationToken);
        var invites = await db.Invites.AsNoTracking().Where(i => i.InvitedBy == userId).Select(i => new { i.CommunityId, i.Email, i.CreatedAt }).ToListAsync(cancellationToken);
        var loans = await db.Loans.AsNoTracking().Where(l => l.UserId == userId).ToListAsync(cancellationToken);
        var loanIds = loans.Select(l => l.Id).ToList();
        var loanPayments = await db.LoanPayments.AsNoTracking().Where(p => loanIds.Contains(p.LoanId)).ToListAsync(cancellationToken);
        await snapshot.CommitAsync(cancellationToken);

        return TypedResults.Ok(new GdprExport("savings", new
        {
            memberships,
            communitiesCreated,
            contributions,
            payoutsReceived = received,
            bids = bids.Select(b => new { b.CommunityId, b.CycleNumber, b.Discount, b.CreatedAt }),
            strikes = strikes.Select(s => new { s.CommunityId, s.CycleNumber, s.Reason, s.CreatedAt }),
            pleas,
            votes = votes.Select(v => new { v.PleaId, v.InFavor, v.CreatedAt }),
            invitesSent = invites,
            loans = loans.Select(l => new { l.Id, l.Servicer, l.Currency, l.PrincipalAmount, l.BalanceAmount, l.RateBasisPoints, l.DueDay, l.MonthlyPaymentAmount, l.CreatedAt, l.UpdatedAt }),
            loanPayments = loanPayments.Select(p => new { p.LoanId, p.Amount, p.Source, p.CommunityId, p.CycleNumber, p.TransferId, p.CreatedAt }),
        }));
    }
}
