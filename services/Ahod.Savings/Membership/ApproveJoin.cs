using Ahod.Savings.Communities;
using Ahod.Savings.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Membership;

/// <summary>An admin approves a join request (the community row is locked, so two approvals cannot overfill it).</summary>
public static class ApproveJoin
{
    internal static async Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, Guid userId, HttpContext http, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var access = http.GetCommunityAccess();
        var member = await db.Members.SingleOrDefaultAsync(m => m.CommunityId == id && m.UserId == userId, cancellationToken);
        if (member is null || member.Status is MemberStatuses.Left or MemberStatuses.Declined)
        {
            return Problems.NotFound("join request");
        }

        if (member.Status == MemberStatuses.Pending)
        {
            var activeCount = await db.Members.CountAsync(m => m.CommunityId == id && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended), cancellationToken);
            if (activeCount >= access.Community.MaxMembers)
            {
                return Problems.Rule("The community is full.", $"It has reached its maximum of {access.Community.MaxMembers} members.");
            }

            MembershipEndpoints.Activate(db, member, clock.GetUtcNow());
            await db.SaveChangesAsync(cancellationToken);
        }

        await db.Database.CommitTransactionAsync(cancellationToken);
        return TypedResults.Ok(MembershipEndpoints.ToResponse(member));
    }
}
