using Npgsql;

namespace Ahod.ServiceDefaults.Data;

/// <summary>
/// Connection settings every service's PostgreSQL connections use: pooled connections skip the <c>DISCARD ALL</c>
/// Npgsql otherwise sends when one is reused (an extra statement per use of the pool, and it throws away prepared
/// statements), and Npgsql prepares the statements a service runs again and again. Safe because our code leaves no session
/// state behind: transactions are explicit, the migrator's advisory lock is released explicitly, and no SET is issued.
/// </summary>
public static class NpgsqlHotPath
{
    /// <summary>The connection string with the settings above (null stays null, for Aspire's "missing" error).</summary>
    public static string? ConnectionString(string? connectionString) =>
        connectionString is null ? null : Builder(connectionString).ConnectionString;

    public static NpgsqlConnectionStringBuilder Builder(string? connectionString) => new(connectionString)
    {
        NoResetOnClose = true,
        MaxAutoPrepare = 64,
        AutoPrepareMinUsages = 2,
    };
}
