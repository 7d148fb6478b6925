using System.Security.Claims;
using Ahod.Savings.Communities;
using Ahod.Savings.Data;
using Ahod.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Membership;

/// <summary>A member's own settings: where their payouts go (the wallet, or one of their loans).</summary>
public static class UpdateMyMembership
{
    internal static async Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> HandleAsync(
        UpdateMyMembershipRequest request, HttpContext http, SavingsDbContext db, CancellationToken cancellationToken)
    {
        var userId = http.User.GetUserId();
        var access = http.GetCommunityAccess();
        if (request.PayoutLoanId is { } loanId &&
            !await db.Loans.AnyAsync(l => l.Id == loanId && l.UserId == userId && l.Currency == access.Community.Currency, cancellationToken))
        {
            return Problems.Rule("Unknown loan.", "Route payouts only to one of your own loans in the community's currency.");
        }

        var member = access.Membership!;
        db.Attach(member);
        member.PayoutLoanId = request.PayoutLoanId;
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(MembershipEndpoints.ToResponse(member));
    }
}
