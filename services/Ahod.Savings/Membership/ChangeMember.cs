using Ahod.Savings.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Membership;

/// <summary>An admin's change to a current (active or suspended) member: promote to admin, or reinstate after a suspension.</summary>
public static class ChangeMember
{
    internal static Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> PromoteAsync(
        Guid id, Guid userId, SavingsDbContext db, CancellationToken cancellationToken) =>
        ChangeAsync(id, userId, db, member => member.Role = Roles.Admin, cancellationToken);

    // Strikes stay on record; reinstating only lets the member receive again.
    internal static Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> ReinstateAsync(
        Guid id, Guid userId, SavingsDbContext db, CancellationToken cancellationToken) =>
        ChangeAsync(id, userId, db, member => member.Status = MemberStatuses.Active, cancellationToken);

    private static async Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> ChangeAsync(
        Guid id, Guid userId, SavingsDbContext db, Action<Member> change, CancellationToken cancellationToken)
    {
        var member = await db.Members.SingleOrDefaultAsync(m => m.CommunityId == id && m.UserId == userId, cancellationToken);
        if (member is not { Status: MemberStatuses.Active or MemberStatuses.Suspended })
        {
            return Problems.NotFound("member");
        }

        change(member);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(MembershipEndpoints.ToResponse(member));
    }
}
