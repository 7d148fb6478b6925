using Ahod.Messaging.Consumers;
using Ahod.Messaging.Contracts;
using Ahod.Payments.Data;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Payments.Events;

/// <summary>Every new user gets a wallet in the default currency. Idempotent: the unique owner index absorbs a redelivery.</summary>
internal sealed class UserRegisteredHandler(PaymentsDbContext db) : IIntegrationEventHandler<UserRegistered>
{
    public async Task HandleAsync(UserRegistered integrationEvent, CancellationToken cancellationToken) =>
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO accounts (id, kind, owner_type, owner_id, provider, currency, flags, status,
                                  debits_posted, credits_posted, debits_pending, credits_pending, created_at)
            VALUES ({Guid.CreateVersion7()}, 'wallet', 'user', {integrationEvent.UserId}, NULL, {Currencies.Default},
                    {AccountFlags.DebitsMustNotExceedCredits}, 'open', 0, 0, 0, 0, now())
            ON CONFLICT (owner_type, owner_id, kind, currency) WHERE owner_id IS NOT NULL DO NOTHING
            """, cancellationToken);
}

/// <summary>
/// GDPR erasure. Money history must be kept (bookkeeping law), so the ledger stays and is cut loose from the
/// person: the accounts get a fresh random owner id and are closed, memos are removed, encrypted payout
/// destinations and stored idempotent responses (which may repeat them) are deleted.
/// </summary>
internal sealed class UserErasedHandler(PaymentsDbContext db) : IIntegrationEventHandler<UserErased>
{
    public async Task HandleAsync(UserErased integrationEvent, CancellationToken cancellationToken)
    {
        var userId = integrationEvent.UserId;
        await db.Database.ExecuteSqlAsync($"DELETE FROM withdrawal_destinations WHERE user_id = {userId}", cancellationToken);
        await db.Database.ExecuteSqlAsync($"DELETE FROM idempotency_keys WHERE user_id = {userId}", cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE transfers SET metadata = metadata - 'memo' - 'fromUserId' - 'toUserId', initiated_by = NULL
            WHERE metadata IS NOT NULL AND (initiated_by = {userId}
               OR debit_account_id IN (SELECT id FROM accounts WHERE owner_type = 'user' AND owner_id = {userId})
               OR credit_account_id IN (SELECT id FROM accounts WHERE owner_type = 'user' AND owner_id = {userId}))
            """, cancellationToken);
        await db.Database.ExecuteSqlAsync($"""
            UPDATE transfers SET initiated_by = NULL WHERE initiated_by = {userId}
            """, cancellationToken);
        // Locked in id order like the ledger does, so erasure never deadlocks with a batch.
        await db.Database.ExecuteSqlAsync($"""
            UPDATE accounts SET owner_id = gen_random_uuid(), status = 'closed'
            WHERE id IN (SELECT id FROM accounts WHERE owner_type = 'user' AND owner_id = {userId} ORDER BY id FOR UPDATE)
            """, cancellationToken);
    }
}
