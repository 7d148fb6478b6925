using Ahod.Messaging.Consumers;
using Ahod.Messaging.Contracts;
using Ahod.Savings.Data;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Events;

/// <summary>
/// GDPR erasure. What is personal goes (loans, plea texts, invites the user sent with others' addresses); the money
/// history stays, keyed by the user id alone, which no longer leads to a person once Identity erased the account.
/// Memberships end so the community's rotation and votes carry on without the erased user.
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

        foreach (var member in await db.Members.Where(m => m.UserId == userId && m.Status != MemberStatuses.Left).ToListAsync(cancellationToken))
        {
            member.Status = MemberStatuses.Left;
            member.LeftAt = now;
            member.Role = Roles.Member;
            member.RotationPosition = null;
            member.PayoutLoanId = null;
        }

        // No SaveChanges: the consumer saves these changes together with the inbox record.
    }
}
