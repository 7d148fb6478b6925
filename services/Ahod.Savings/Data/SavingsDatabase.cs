namespace Ahod.Savings.Data;

public static class SavingsDatabase
{
    /// <summary>Any fixed number shared by the replicas: "SAVINGS" + 1.</summary>
    private const long MigrationLockKey = 0x5341_5649_4E47_5301;

    public static Task MigrateSavingsDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default) =>
        app.MigrateDatabaseAsync<SavingsDbContext>(MigrationLockKey, cancellationToken);
}
