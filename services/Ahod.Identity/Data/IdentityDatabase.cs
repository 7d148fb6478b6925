using Ahod.ServiceDefaults;

namespace Ahod.Identity.Data;

public static class IdentityDatabase
{
    // Any constant shared by every replica of this service; "AhodIdnt" in ASCII.
    private const long AdvisoryLockKey = 0x41686F644964_6E74;

    public static Task MigrateIdentityDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default) =>
        app.MigrateDatabaseAsync<IdentityDbContext>(AdvisoryLockKey, cancellationToken);
}
