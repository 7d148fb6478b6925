namespace Ahod.Chat.Data;

public static class DatabaseMigrator
{
    /// <summary>Any fixed number: the two replicas start together and take turns.</summary>
    private const long MigrationLockKey = 0x4348_4154_0000_0001; // "CHAT" + 1

    public static Task MigrateChatDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default) =>
        app.MigrateDatabaseAsync<ChatDbContext>(MigrationLockKey, cancellationToken);
}
