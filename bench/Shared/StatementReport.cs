using Npgsql;

namespace Ahod.Bench;

/// <summary>
/// Which statements of one database PostgreSQL's time went to during a measured phase (<c>pg_stat_statements</c>; the
/// server must run with <see cref="ServerArguments"/>). Execution time is wall time, so waits for a core count too.
/// </summary>
internal static class StatementReport
{
    public static readonly string[] ServerArguments = ["-c", "shared_preload_libraries=pg_stat_statements"];

    /// <summary>Creates the extension in the database if needed and clears the counters: call just before the phase.</summary>
    public static Task ResetAsync(string connectionString) =>
        ScalarAsync(connectionString, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()");

    /// <summary>The database's top statements by execution time, with calls and microseconds per unit of work.</summary>
    public static async Task<string> TopAsync(string connectionString, long units, string unit, int limit = 8)
    {
        var per = Math.Max(1, units);
        return (await ScalarAsync(connectionString, $"""
            SELECT string_agg(format('    %8s calls %6s per {unit} %6s µs per {unit} %7s ms mean  %s', calls, round(calls::numeric / {per}, 2),
                round(1000 * total_exec_time / {per}), round(mean_exec_time::numeric, 2), left(regexp_replace(query, '\s+', ' ', 'g'), 80)),
                E'\n' ORDER BY total_exec_time DESC)
            FROM (SELECT * FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                  ORDER BY total_exec_time DESC LIMIT {limit}) top
            """))?.ToString() ?? "";
    }

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
