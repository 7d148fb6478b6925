using Ahod.Savings.Data;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Communities;

/// <summary>A community as seen by the caller: per-object authorization decisions live here, in one place.</summary>
internal sealed record CommunityAccess(Community Community, Member? Membership)
{
    /// <summary>Active or suspended: owes contributions, sees everything, may vote.</summary>
    public bool IsMember => Membership is { Status: MemberStatuses.Active or MemberStatuses.Suspended };

    public bool IsAdmin => IsMember && Membership!.Role == Roles.Admin;

    /// <summary>Private communities exist only for their members (and those who asked to join); others get 404.</summary>
    public bool IsVisible => !Community.IsPrivate || IsMember || Membership is { Status: MemberStatuses.Pending };

    /// <summary>Null when the community does not exist or is private and the caller is not in it (both become 404).</summary>
    public static async Task<CommunityAccess?> LoadAsync(SavingsDbContext db, Guid communityId, Guid userId, CancellationToken cancellationToken, bool forUpdate = false)
    {
        var community = forUpdate
            // Row lock: membership changes, contributions and closings of one community are serialized.
            ? await db.Communities.FromSql($"SELECT * FROM communities WHERE id = {communityId} FOR UPDATE").SingleOrDefaultAsync(cancellationToken)
            : await db.Communities.SingleOrDefaultAsync(c => c.Id == communityId, cancellationToken);
        if (community is null)
        {
            return null;
        }

        var member = await db.Members.SingleOrDefaultAsync(m => m.CommunityId == communityId && m.UserId == userId, cancellationToken);
        var access = new CommunityAccess(community, member);
        return access.IsVisible ? access : null;
    }
}
