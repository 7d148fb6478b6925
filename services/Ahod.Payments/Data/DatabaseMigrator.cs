using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ahod.Payments.Data;

internal static class DatabaseMigrator
{
    // Any constant shared by all replicas; "ahodpay" in ASCII.
    private const long AdvisoryLockKey = 0x61686F64706179;

    /// <summary>Applies pending migrations before the service takes traffic; one replica at a time, under an advisory lock.</summary>
    public static async Task MigratePaymentsDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var dataSource = scope.ServiceProvider.GetRequiredService<NpgsqlDataSource>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_lock({AdvisoryLockKey})", connection))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var db = scope.ServiceProvider.GetRequiredService<PaymentsDbContext>();
            await db.Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await using var unlock = new NpgsqlCommand($"SELECT pg_advisory_unlock({AdvisoryLockKey})", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
