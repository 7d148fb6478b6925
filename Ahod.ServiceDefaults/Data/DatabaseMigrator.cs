using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Ahod.ServiceDefaults;

public static class DatabaseMigrator
{
    /// <summary>
    /// Applies the context's pending migrations before the service takes traffic (call it before <c>Run</c>, so hosted
    /// services such as the outbox relay never meet a missing table). A PostgreSQL session advisory lock, held on the
    /// context's own connection, makes replicas that start together take turns: the first migrates, the others find
    /// nothing to do. <paramref name="advisoryLockKey"/> is any constant of the service, the same in every replica.
    /// </summary>
    public static async Task MigrateDatabaseAsync<TContext>(this WebApplication app, long advisoryLockKey, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({advisoryLockKey})", cancellationToken);
            try
            {
                // EF reads the history table before it creates it: on a fresh database that read fails and is logged as an
                // error, although nothing is wrong. Creating the (empty) table first keeps a first start free of failures.
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                // Released explicitly: a pooled connection may skip the reset that would otherwise drop session locks.
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({advisoryLockKey})", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
