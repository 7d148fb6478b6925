using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ahod.ServiceDefaults;

public static class MigrationLock
{
    /// <summary>
    /// Applies <typeparamref name="TContext"/>'s pending migrations under a PostgreSQL advisory lock (<paramref name="lockKey"/>:
    /// any fixed number per database), before the app takes traffic: replicas starting together take turns, so each
    /// migration runs once.
    /// </summary>
    public static async Task MigrateUnderAdvisoryLockAsync<TContext>(this WebApplication app, long lockKey, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({lockKey})", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({lockKey})", cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
