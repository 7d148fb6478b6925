using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.Savings.Communities;
using Ahod.Savings.Data;
using Ahod.Savings.Payouts;
using Ahod.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Membership;

/// <summary>Leaving a community (or withdrawing a join request), under the leaving rules.</summary>
public static class Leave
{
    /// <summary>
    /// Someone who received this season's pot but still owes contributions for it cannot walk away with the others'
    /// money, and the last admin must hand over first.
    /// </summary>
    internal static async Task<Results<Ok<MembershipResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, HttpContext http, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = http.User.GetUserId();
        var access = http.GetCommunityAccess();
        var member = access.Membership;
        if (member is null || member.Status is MemberStatuses.Left or MemberStatuses.Declined)
        {
            return Problems.Rule("Not a member.", "You are not a member of this community.");
        }

        var community = access.Community;
        if (member.Status != MemberStatuses.Pending)
        {
            var received = await RecipientSelection.ReceivedInSeasonAsync(db, id, community.Season, cancellationToken);
            if (received.Contains(userId))
            {
                var stillToReceive = (await RecipientSelection.EligibleAsync(db, community, cancellationToken)).Count;
                var unpaid = await db.Cycles.CountAsync(c => c.CommunityId == id && c.Season == community.Season &&
                    !db.Contributions.Any(x => x.CommunityId == id && x.CycleNumber == c.Number && x.MemberUserId == userId), cancellationToken);
                if (stillToReceive > 0 || unpaid > 0)
                {
                    return Problems.Rule(
                        "You cannot leave yet: you have received a payout and still owe contributions.",
                        $"You received the pot in season {community.Season}. Until every member has received theirs " +
                        $"({stillToReceive} still waiting) and you have paid every cycle of the season ({unpaid} unpaid), leaving would take the others' money.");
                }
            }

            if (member.Role == Roles.Admin)
            {
                var otherAdmins = await db.Members.CountAsync(m => m.CommunityId == id && m.UserId != userId && m.Role == Roles.Admin &&
                    (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended), cancellationToken);
                var others = await db.Members.CountAsync(m => m.CommunityId == id && m.UserId != userId &&
                    (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended), cancellationToken);
                if (otherAdmins == 0 && others > 0)
                {
                    return Problems.Rule("Hand over first: you are the last admin.", "Promote another member to admin, then leave.");
                }
            }
        }

        var wasMember = member.Status != MemberStatuses.Pending;
        db.Attach(member);
        member.Status = MemberStatuses.Left;
        member.LeftAt = clock.GetUtcNow();
        member.Role = Roles.Member;
        member.RotationPosition = null;
        if (wasMember)
        {
            db.AddIntegrationEvent(new CommunityMemberLeft(id, userId) { OccurredAt = member.LeftAt.Value });
        }

        await db.SaveChangesAsync(cancellationToken);
        await db.Database.CommitTransactionAsync(cancellationToken);
        return TypedResults.Ok(MembershipEndpoints.ToResponse(member));
    }
}
