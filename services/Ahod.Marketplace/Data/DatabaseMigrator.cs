using Microsoft.EntityFrameworkCore;

namespace Ahod.Marketplace.Data;

public static class DatabaseMigrator
{
    /// <summary>Any fixed number: replicas starting together take turns, so each migration runs once.</summary>
    private const long MigrationLockKey = 0x4D41_524B_4554_0001; // "MARKET" + 1

    /// <summary>Applies pending migrations under a PostgreSQL advisory lock, before the app takes traffic.</summary>
    public static async Task MigrateMarketplaceDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<MarketplaceDbContext>();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})", cancellationToken);
            try
            {
                await db.Database.MigrateAsync(cancellationToken);
            }
            finally
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})", cancellationToken);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
