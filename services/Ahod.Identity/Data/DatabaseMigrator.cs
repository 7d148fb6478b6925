using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ahod.Identity.Data;

public static class DatabaseMigrator
{
    // Any constant shared by every replica of this service; "AhodIdnt" in ASCII.
    private const long AdvisoryLockKey = 0x41686F644964_6E74;

    /// <summary>
    /// Applies pending migrations before the service listens. A session-level advisory lock makes replicas
    /// that start together take turns: the first migrates, the others then find nothing to do.
    /// </summary>
    public static async Task MigrateIdentityDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
        var dataSource = scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>();

        await using var lockConnection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", lockConnection))
        {
            acquire.Parameters.AddWithValue("key", AdvisoryLockKey);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", lockConnection);
            release.Parameters.AddWithValue("key", AdvisoryLockKey);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
