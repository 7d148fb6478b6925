using Ahod.Savings.Data;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Payouts;

/// <summary>Who may receive, in what order, and how much is in the pot: the rules every payout method shares.</summary>
internal static class RecipientSelection
{
    /// <summary>Rotation order: the admin's positions first, then join order.</summary>
    public static IOrderedEnumerable<Member> InRotationOrder(IEnumerable<Member> members) =>
        members.OrderBy(m => m.RotationPosition ?? int.MaxValue).ThenBy(m => m.JoinSequence);

    /// <summary>Members who already received a payout in <paramref name="season"/> (closing cycles count: their recipient is fixed).</summary>
    public static async Task<HashSet<Guid>> ReceivedInSeasonAsync(SavingsDbContext db, Guid communityId, int season, CancellationToken cancellationToken) =>
        (await db.Cycles
            .Where(c => c.CommunityId == communityId && c.Season == season && c.Status != CycleStatuses.Open && c.RecipientUserId != null)
            .Select(c => c.RecipientUserId!.Value)
            .ToListAsync(cancellationToken)).ToHashSet();

    /// <summary>Active (not suspended) members who have not received in the season, in rotation order.</summary>
    public static async Task<List<Member>> EligibleAsync(SavingsDbContext db, Community community, CancellationToken cancellationToken)
    {
        var received = await ReceivedInSeasonAsync(db, community.Id, community.Season, cancellationToken);
        var active = await db.Members
            .Where(m => m.CommunityId == community.Id && m.Status == MemberStatuses.Active)
            .ToListAsync(cancellationToken);
        return InRotationOrder(active.Where(m => !received.Contains(m.UserId))).ToList();
    }

    /// <summary>
    /// The draw is reproducible from the recorded seed: candidates in join order, index = seed mod count.
    /// Anyone holding the cycle's seed and the member list can check the recipient.
    /// </summary>
    public static Member Draw(IReadOnlyCollection<Member> eligible, long seed)
    {
        var ordered = eligible.OrderBy(m => m.JoinSequence).ToList();
        return ordered[(int)((ulong)seed % (ulong)ordered.Count)];
    }

    /// <summary>Money in the pot as this service recorded it: everything paid in minus everything paid (or being paid) out.</summary>
    public static async Task<long> PotBalanceAsync(SavingsDbContext db, Guid communityId, CancellationToken cancellationToken)
    {
        var paidIn = await db.Contributions.Where(c => c.CommunityId == communityId).SumAsync(c => c.Amount + c.LateFee, cancellationToken);
        var paidOut = await db.Disbursements.Where(d => d.CommunityId == communityId).SumAsync(d => d.Amount, cancellationToken);
        return paidIn - paidOut;
    }
}
