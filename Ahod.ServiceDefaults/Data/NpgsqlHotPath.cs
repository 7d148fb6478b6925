using Npgsql;

namespace Ahod.ServiceDefaults.Data;

/// <summary>
/// Connection settings every service's PostgreSQL connections use: pooled connections skip the <c>DISCARD ALL</c>
/// Npgsql otherwise sends when one is reused (an extra statement per use of the pool, and it throws away prepared
/// statements), and Npgsql prepares the statements a service runs again and again. Safe because our code leaves no session
/// state behind: transactions are explicit, the migrator's advisory lock is released explicitly, and no SET is issued.
/// Prepared statements are planned on every execution (<c>plan_cache_mode=force_custom_plan</c>): PostgreSQL otherwise
/// settles on one generic plan per statement after five executions, made from the table statistics of that moment. A
/// ledger or outbox that was nearly empty then kept scanning whole tables by key (a sequential scan of <c>transfers</c>
/// per transfer: 102 million rows read in one 15 s benchmark phase) until autovacuum analyzed them again, a minute or
/// more later. Parsing is still saved; planning costs PostgreSQL CPU (in the Payments benchmark's direct phase 320 µs per
/// transfer against 198 µs with good generic plans), the price of never running a stale plan.
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
        Options = "-c plan_cache_mode=force_custom_plan",
    };
}
