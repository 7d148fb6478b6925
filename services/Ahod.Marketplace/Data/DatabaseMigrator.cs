namespace Ahod.Marketplace.Data;

public static class DatabaseMigrator
{
    /// <summary>Any fixed number: replicas starting together take turns, so each migration runs once.</summary>
    private const long MigrationLockKey = 0x4D41_524B_4554_0001; // "MARKET" + 1

    public static Task MigrateMarketplaceDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default) =>
        app.MigrateDatabaseAsync<MarketplaceDbContext>(MigrationLockKey, cancellationToken);
}
