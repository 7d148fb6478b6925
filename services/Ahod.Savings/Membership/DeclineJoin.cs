using Ahod.Savings.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Membership;

/// <summary>An admin declines a join request.</summary>
public static class DeclineJoin
{
    internal static async Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, Guid userId, SavingsDbContext db, CancellationToken cancellationToken)
    {
        var member = await db.Members.SingleOrDefaultAsync(m => m.CommunityId == id && m.UserId == userId && m.Status == MemberStatuses.Pending, cancellationToken);
        if (member is null)
        {
            return Problems.NotFound("join request");
        }

        member.Status = MemberStatuses.Declined;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(MembershipEndpoints.ToResponse(member));
    }
}
