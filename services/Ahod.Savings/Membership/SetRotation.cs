using Ahod.Savings.Communities;
using Ahod.Savings.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Membership;

/// <summary>An admin sets the payout order of a rotation community.</summary>
public static class SetRotation
{
    /// <summary>
    /// Allowed before the season's first payout; afterwards only on the strength of a plea the members passed (which is
    /// then marked applied), so the order cannot be changed behind their backs.
    /// </summary>
    internal static async Task<Results<Ok<IReadOnlyList<Guid>>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        Guid id, RotationRequest request, HttpContext http, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var access = http.GetCommunityAccess();
        var members = await db.Members
            .Where(m => m.CommunityId == id && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended))
            .ToListAsync(cancellationToken);
        if (request.UserIds.Distinct().Count() != request.UserIds.Count ||
            !members.Select(m => m.UserId).ToHashSet().SetEquals(request.UserIds))
        {
            return Problems.Invalid("userIds", "List every current member exactly once, in the order they should receive.");
        }

        var seasonStarted = await db.Cycles.AnyAsync(c => c.CommunityId == id && c.Season == access.Community.Season && c.Status != CycleStatuses.Open, cancellationToken);
        if (seasonStarted)
        {
            var plea = await db.Pleas.Where(p => p.CommunityId == id && p.Status == PleaStatuses.Passed).OrderBy(p => p.CreatedAt).FirstOrDefaultAsync(cancellationToken);
            if (plea is null)
            {
                return Problems.Rule("The season has started.",
                    "The rotation can change mid-season only after the members pass a plea asking for it.");
            }

            plea.Status = PleaStatuses.Applied;
            plea.DecidedAt = clock.GetUtcNow();
        }

        for (var i = 0; i < request.UserIds.Count; i++)
        {
            members.Single(m => m.UserId == request.UserIds[i]).RotationPosition = i + 1;
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.Database.CommitTransactionAsync(cancellationToken);
        return TypedResults.Ok(request.UserIds);
    }
}
