using Ahod.Messaging.Consumers;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.Savings.Data;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Events;

/// <summary>
/// GDPR erasure. What is personal goes (loans, plea texts, invites the user sent with others' addresses); the money
/// history stays, keyed by the user id alone, which no longer leads to a person once Identity erased the account.
/// Memberships end so the community's rotation and votes carry on without the erased user; a community whose last
/// admin was erased gets its longest-standing member as admin, since nobody is left to hand over.
/// </summary>
public sealed class UserErasedHandler(SavingsDbContext db, TimeProvider clock) : IIntegrationEventHandler<UserErased>
{
    public const string ErasedText = "[erased]";

    public async Task HandleAsync(UserErased integrationEvent, CancellationToken cancellationToken)
    {
        var userId = integrationEvent.UserId;
        var now = clock.GetUtcNow();

        foreach (var loan in await db.Loans.Where(l => l.UserId == userId).ToListAsync(cancellationToken))
        {
            db.Loans.Remove(loan);
        }

        foreach (var invite in await db.Invites.Where(i => i.InvitedBy == userId).ToListAsync(cancellationToken))
        {
            db.Invites.Remove(invite);
        }

        foreach (var plea in await db.Pleas.Where(p => p.UserId == userId).ToListAsync(cancellationToken))
        {
            plea.Title = ErasedText;
            plea.Body = ErasedText;
        }

        // Membership changes take the community's row lock like leaving, joining and reordering do, so a concurrent
        // approval or promotion cannot bring the erased user back or leave the community without an admin.
        // Locked in id order: two erasures sharing communities never wait on each other crosswise.
        var communityIds = await db.Members.Where(m => m.UserId == userId && m.Status != MemberStatuses.Left)
            .Select(m => m.CommunityId).OrderBy(id => id).ToListAsync(cancellationToken);
        foreach (var communityId in communityIds)
        {
            await db.Communities.FromSql($"SELECT * FROM communities WHERE id = {communityId} FOR UPDATE").SingleAsync(cancellationToken);
            var member = await db.Members.SingleAsync(m => m.CommunityId == communityId && m.UserId == userId, cancellationToken);
            if (member.Status == MemberStatuses.Left)
            {
                continue;
            }

            var wasMember = member.Status is MemberStatuses.Active or MemberStatuses.Suspended;
            var wasAdmin = wasMember && member.Role == Roles.Admin;
            member.Status = MemberStatuses.Left;
            member.LeftAt = now;
            member.Role = Roles.Member;
            member.RotationPosition = null;
            member.PayoutLoanId = null;
            if (!wasMember)
            {
                continue;
            }

            db.AddIntegrationEvent(new CommunityMemberLeft(communityId, userId) { OccurredAt = now });
            if (wasAdmin)
            {
                await HandOverAdminAsync(communityId, userId, cancellationToken);
            }
        }

        // No SaveChanges: the consumer saves these changes together with the inbox record.
    }

    /// <summary>When the erased user was the community's last admin: the longest-standing current member takes over.</summary>
    private async Task HandOverAdminAsync(Guid communityId, Guid erasedUserId, CancellationToken cancellationToken)
    {
        var current = await db.Members
            .Where(m => m.CommunityId == communityId && m.UserId != erasedUserId &&
                        (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended))
            .ToListAsync(cancellationToken);
        if (current.Count == 0 || current.Any(m => m.Role == Roles.Admin))
        {
            return;
        }

        var successor = current.OrderBy(m => m.Status == MemberStatuses.Active ? 0 : 1).ThenBy(m => m.JoinSequence).First();
        successor.Role = Roles.Admin;
    }
}
