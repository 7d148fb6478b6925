using Microsoft.EntityFrameworkCore;

namespace Ahod.Chat.Data;

public static class DatabaseMigrator
{
    /// <summary>Any fixed number: replicas starting together take turns, so each migration runs once.</summary>
    private const long MigrationLockKey = 0x4348_4154_0000_0001; // "CHAT" + 1

    /// <summary>Applies pending migrations under a PostgreSQL advisory lock, before the app takes traffic.</summary>
    public static async Task MigrateChatDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ChatDbContext>();
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
