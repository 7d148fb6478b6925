using Ahod.Savings.Data;
using Ahod.Savings.Payouts;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Communities;

/// <summary>Builds the detail view of a community from its rows (entities never leave the service).</summary>
internal static class CommunityReader
{
    public static async Task<CommunityResponse> ReadAsync(SavingsDbContext db, CommunityAccess access, CancellationToken cancellationToken)
    {
        var community = access.Community;
        var members = await db.Members.AsNoTracking()
            .Where(m => m.CommunityId == community.Id && m.Status != MemberStatuses.Left && m.Status != MemberStatuses.Declined)
            .ToListAsync(cancellationToken);
        // Pending requests are for admins to approve; other members see the group itself.
        if (!access.IsAdmin)
        {
            members = members.Where(m => m.Status != MemberStatuses.Pending || m.UserId == access.Membership?.UserId).ToList();
        }

        var received = await RecipientSelection.ReceivedInSeasonAsync(db, community.Id, community.Season, cancellationToken);
        var current = await db.Cycles.AsNoTracking()
            .Where(c => c.CommunityId == community.Id && c.Status != CycleStatuses.Closed)
            .OrderBy(c => c.Number)
            .FirstOrDefaultAsync(cancellationToken);

        CycleSummary? currentCycle = null;
        if (current is not null)
        {
            var paid = await db.Contributions
                .Where(c => c.CommunityId == community.Id && c.CycleNumber == current.Number)
                .Select(c => c.MemberUserId)
                .ToListAsync(cancellationToken);
            var owing = members.Where(m => m.Status is MemberStatuses.Active or MemberStatuses.Suspended).Select(m => m.UserId);
            Guid? next = community.PayoutMethod == PayoutMethods.Rotation
                ? RecipientSelection.InRotationOrder(members.Where(m => m.Status == MemberStatuses.Active && !received.Contains(m.UserId)))
                    .Select(m => (Guid?)m.UserId).FirstOrDefault()
                : null;
            currentCycle = new CycleSummary(current.Number, current.Season, current.DueAt, current.Status, paid, owing.Except(paid).ToList(), current.RecipientUserId, next);
        }

        var contributed = await db.Contributions.Where(c => c.CommunityId == community.Id).SumAsync(c => c.Amount + c.LateFee, cancellationToken);
        var paidOut = await db.Disbursements.Where(d => d.CommunityId == community.Id).SumAsync(d => d.Amount, cancellationToken);
        var percent = community.GoalAmount == 0 ? 100 : (int)Math.Min(100, contributed * 100 / community.GoalAmount);

        return new CommunityResponse(
            community.Id,
            community.Name,
            community.Bio,
            new Money(community.GoalAmount, community.Currency),
            new Money(community.ContributionAmount, community.Currency),
            community.Frequency,
            community.PayoutMethod,
            community.MaxMembers,
            community.IsPrivate,
            access.IsMember ? community.InviteCode : null,
            access.IsMember ? community.PotAccountId : null,
            community.Season,
            new CommunityRulesResponse(community.GraceDays, new Money(community.LateFeeAmount, community.Currency), community.StrikesUntilSuspension, community.AutoClose),
            access.Membership?.Role,
            access.Membership?.Status,
            RecipientSelection.InRotationOrder(members)
                .Select(m => new MemberResponse(m.UserId, m.Role, m.Status, m.JoinedAt, m.RotationPosition, m.Strikes, received.Contains(m.UserId)))
                .ToList(),
            currentCycle,
            new ProgressResponse(
                new Money(community.GoalAmount, community.Currency),
                new Money(contributed, community.Currency),
                new Money(paidOut, community.Currency),
                new Money(contributed - paidOut, community.Currency),
                percent),
            community.CreatedAt);
    }
}
