using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Ahod.Savings.Data;
using Ahod.ServiceDefaults;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Membership;

/// <summary>Joining: at once with the invite code, else (public communities only) a request an admin approves.</summary>
public static class Join
{
    /// <remarks>
    /// Not behind the community filter: an outsider of a private community joins here, and a wrong code must look
    /// exactly like a missing community.
    /// </remarks>
    internal static async Task<Results<Ok<MembershipResponse>, Created<MembershipResponse>, Accepted<MembershipResponse>, ProblemHttpResult>> HandleAsync(
        Guid id, JoinRequest request, ClaimsPrincipal user, SavingsDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var userId = user.GetUserId();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var community = await db.Communities.FromSql($"SELECT * FROM communities WHERE id = {id} FOR UPDATE").SingleOrDefaultAsync(cancellationToken);
        var codeMatches = community is not null && !string.IsNullOrEmpty(request.InviteCode) && CodesMatch(request.InviteCode, community.InviteCode);
        if (community is null || (community.IsPrivate && !codeMatches))
        {
            // A wrong code and a missing community look the same: the code cannot be probed for existence.
            return Problems.NotFound();
        }

        var member = await db.Members.SingleOrDefaultAsync(m => m.CommunityId == id && m.UserId == userId, cancellationToken);
        if (member is { Status: MemberStatuses.Active or MemberStatuses.Suspended })
        {
            return TypedResults.Ok(MembershipEndpoints.ToResponse(member));
        }

        if (member is { Status: MemberStatuses.Pending } && !codeMatches)
        {
            return TypedResults.Accepted($"/api/communities/{id}", MembershipEndpoints.ToResponse(member));
        }

        var activeCount = await db.Members.CountAsync(m => m.CommunityId == id && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended), cancellationToken);
        if (activeCount >= community.MaxMembers)
        {
            return Problems.Rule("The community is full.", $"It has reached its maximum of {community.MaxMembers} members.");
        }

        var now = clock.GetUtcNow();
        if (member is null)
        {
            member = new Member { CommunityId = id, UserId = userId, Role = Roles.Member, Status = MemberStatuses.Pending, RequestedAt = now };
            db.Members.Add(member);
        }
        else
        {
            // Re-joining after leaving: back of the queue (a new join sequence), no carried-over role.
            await db.Members.Where(m => m.CommunityId == id && m.UserId == userId).ExecuteDeleteAsync(cancellationToken);
            db.Entry(member).State = EntityState.Detached;
            member = new Member { CommunityId = id, UserId = userId, Role = Roles.Member, Status = MemberStatuses.Pending, RequestedAt = now };
            db.Members.Add(member);
        }

        if (codeMatches)
        {
            MembershipEndpoints.Activate(db, member, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return member.Status == MemberStatuses.Active
            ? TypedResults.Created($"/api/communities/{id}", MembershipEndpoints.ToResponse(member))
            : TypedResults.Accepted($"/api/communities/{id}", MembershipEndpoints.ToResponse(member));
    }

    private static bool CodesMatch(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given.Trim().ToUpperInvariant())), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
