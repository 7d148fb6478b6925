using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ahod.Testing;

/// <summary>
/// Our migrations are written by hand (EF Core Design cannot be restored here), so a test proves they build
/// exactly the schema the model expects: migrate one fresh database, EnsureCreated another, compare
/// columns, indexes and constraints.
/// </summary>
public static class SchemaAssert
{
    /// <param name="serverConnectionString">Any database on the server (e.g. the service's); two scratch databases are created beside it.</param>
    /// <param name="createContext">Builds the service's DbContext for a connection string, configured as the service configures it.</param>
    public static async Task MigrationsMatchModelAsync<TContext>(
        string serverConnectionString, Func<string, TContext> createContext, CancellationToken cancellationToken = default)
        where TContext : DbContext
    {
        var suffix = Guid.NewGuid().ToString("N")[..12];
        var migrated = await CreateDatabaseAsync(serverConnectionString, $"schema_migrated_{suffix}", cancellationToken);
        var created = await CreateDatabaseAsync(serverConnectionString, $"schema_model_{suffix}", cancellationToken);
        try
        {
            await using (var db = createContext(migrated))
            {
                await db.Database.MigrateAsync(cancellationToken);
            }

            await using (var db = createContext(created))
            {
                await db.Database.EnsureCreatedAsync(cancellationToken);
            }

            var fromMigrations = await DescribeAsync(migrated, cancellationToken);
            var fromModel = await DescribeAsync(created, cancellationToken);
            var missing = fromModel.Except(fromMigrations).ToList();
            var extra = fromMigrations.Except(fromModel).ToList();
            if (missing.Count > 0 || extra.Count > 0)
            {
                throw new InvalidOperationException(
                    $"The migrations of {typeof(TContext).Name} do not build the model's schema.\n" +
                    $"In the model, not in the migrations:\n  {string.Join("\n  ", missing)}\n" +
                    $"In the migrations, not in the model:\n  {string.Join("\n  ", extra)}");
            }
        }
        finally
        {
            await DropDatabaseAsync(serverConnectionString, migrated, cancellationToken);
            await DropDatabaseAsync(serverConnectionString, created, cancellationToken);
        }
    }

    /// <summary>One line per column, index and constraint outside the system schemas and EF's history table.</summary>
    public static async Task<List<string>> DescribeAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        const string sql = """
            SELECT 'column ' || table_schema || '.' || table_name || '.' || column_name || ' ' || data_type
                   || coalesce('(' || character_maximum_length || ')', '') || coalesce(' precision ' || numeric_precision || ',' || numeric_scale, '')
                   || ' nullable=' || is_nullable || ' identity=' || is_identity || ' default=' || coalesce(column_default, '')
            FROM information_schema.columns
            WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_name <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'index ' || indexdef
            FROM pg_indexes
            WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tablename <> '__EFMigrationsHistory'
            UNION ALL
            SELECT 'constraint ' || c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND c.conrelid <> 0
              AND c.conrelid::regclass::text NOT LIKE '%__EFMigrationsHistory%'
            UNION ALL
            SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
            ORDER BY 1
            """;
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var lines = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        return lines;
    }

    private static async Task<string> CreateDatabaseAsync(string serverConnectionString, string name, CancellationToken ct)
    {
        var admin = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false };
        await using (var connection = new NpgsqlConnection(admin.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(ct);
        }

        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name, Pooling = false }.ConnectionString;
    }

    private static async Task DropDatabaseAsync(string serverConnectionString, string databaseConnectionString, CancellationToken ct)
    {
        var name = new NpgsqlConnectionStringBuilder(databaseConnectionString).Database;
        var admin = new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
