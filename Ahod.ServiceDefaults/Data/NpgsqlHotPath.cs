using Npgsql;

namespace Ahod.ServiceDefaults.Data;

/// <summary>How PostgreSQL plans the statements a service prepares (see <see cref="NpgsqlHotPath"/>).</summary>
public enum StatementPlans
{
    /// <summary>
    /// For services whose statements find rows by key (Identity, Savings, Payments, Chat). PostgreSQL keeps one generic
    /// plan per prepared statement after five executions, and sequential scans are off (<c>enable_seqscan=off</c>): a
    /// plan made while a table was nearly empty, when reading it whole looked cheapest, still uses the index as the table
    /// grows. A statement with no usable index still scans, so nothing fails; it only never scans by choice.
    /// </summary>
    ByKey,

    /// <summary>
    /// For services whose best plan depends on the values (Marketplace's search: whether the words match ten listings or
    /// ten thousand): every execution is planned for its own parameters (<c>plan_cache_mode=force_custom_plan</c>).
    /// </summary>
    PerExecution,
}

/// <summary>
/// Connection settings every service's PostgreSQL connections use: pooled connections skip the <c>DISCARD ALL</c>
/// Npgsql otherwise sends when one is reused (an extra statement per use of the pool, and it throws away prepared
/// statements), and Npgsql prepares the statements a service runs again and again. Safe because our code leaves no session
/// state behind: transactions are explicit, the migrator's advisory lock is released explicitly, and no SET is issued.
/// <para>
/// Why <see cref="StatementPlans"/>: with PostgreSQL's default, a ledger or outbox that was nearly empty when its
/// statements got their generic plans kept scanning whole tables by key (a sequential scan of <c>transfers</c> per
/// transfer: 102 million rows read in one 15 s benchmark phase) until autovacuum analyzed them again, a minute or more
/// later. Planning every execution cures that at a price (PostgreSQL's CPU per transfer in the Payments benchmark: 359 µs
/// direct, 448 through the gateway); generic plans without sequential scans cure it for free (197 and 203 µs).
/// </para>
/// </summary>
public static class NpgsqlHotPath
{
    /// <summary>The connection string with the settings above (null stays null, for Aspire's "missing" error).</summary>
    public static string? ConnectionString(string? connectionString, StatementPlans plans = StatementPlans.ByKey) =>
        connectionString is null ? null : Builder(connectionString, plans).ConnectionString;

    public static NpgsqlConnectionStringBuilder Builder(string? connectionString, StatementPlans plans = StatementPlans.ByKey) => new(connectionString)
    {
        NoResetOnClose = true,
        MaxAutoPrepare = 64,
        AutoPrepareMinUsages = 2,
        Options = plans switch
        {
            StatementPlans.ByKey => "-c enable_seqscan=off",
            StatementPlans.PerExecution => "-c plan_cache_mode=force_custom_plan",
            _ => throw new ArgumentOutOfRangeException(nameof(plans), plans, null),
        },
    };
}
