using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ahod.Chat.Data;

/// <summary>
/// Runs <see cref="ChatDbContext.AfterCommit"/> once the transaction commits, so nothing is pushed to a client
/// that a rollback then takes back (a notification made inside the inbox transaction, a message).
/// </summary>
public sealed class AfterCommitInterceptor(ILogger<AfterCommitInterceptor> logger) : DbTransactionInterceptor
{
    public override async Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is not ChatDbContext db || db.AfterCommit.Count == 0)
        {
            return;
        }

        var actions = db.AfterCommit.ToList();
        db.AfterCommit.Clear();
        foreach (var action in actions)
        {
            try
            {
                await action();
            }
            catch (Exception e)
            {
                // Stored is what counts: a client that missed a push reads the inbox or the history.
                logger.LogWarning(e, "A live push after commit failed.");
            }
        }
    }

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        (eventData.Context as ChatDbContext)?.AfterCommit.Clear();
        return Task.CompletedTask;
    }
}
