using Ahod.AppHost.Model;
using Npgsql;

namespace Ahod.AppHost.Run;

/// <summary>PostgreSQL from Debian's package: initdb on first start, postgres on loopback, databases created.</summary>
internal sealed class PostgresRunner(PostgresServerResource server, RunContext context) : ServerRunner<PostgresServerResource>(server, context)
{
    private const string OsUser = "postgres";

    public override string Type => "postgres";

    protected override int StopSignal => Native.SIGINT; // "fast" shutdown; SIGTERM would wait for clients.

    protected override async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var root = Context.DataDirectory(Server.Name);
        var pgdata = Path.Combine(root, "pgdata");
        var sockets = Path.Combine(root, "run");
        Directory.CreateDirectory(sockets);
        var runAs = Native.IsRoot ? OsUser : null;
        if (!File.Exists(Path.Combine(pgdata, "PG_VERSION")))
        {
            await InitDbAsync(root, pgdata, runAs, cancellationToken).ConfigureAwait(false);
        }

        if (runAs is not null)
        {
            await ChownAsync(root, cancellationToken).ConfigureAwait(false);
        }

        List<string> args =
        [
            "-D", pgdata, "-p", Server.Port!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={sockets}",
            "-c", "max_connections=400", "-c", "shared_buffers=128MB",
        ];
        if (Context.Options.Ephemeral)
        {
            args.AddRange(["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]);
        }

        Process = ChildProcess.Start(
            new ChildProcessSpec(ServerBinaries.Postgres("postgres"), args, root) { RunAsUser = runAs },
            Server.Name, Context.Logs, Context.Reaper);
    }

    private async Task InitDbAsync(string root, string pgdata, string? runAs, CancellationToken ct)
    {
        Context.Log(Server.Name, "first start: initdb");
        var pwfile = Path.Combine(root, "pwfile");
        await File.WriteAllTextAsync(pwfile, Server.Password, ct).ConfigureAwait(false);
        try
        {
            if (runAs is not null)
            {
                await ChownAsync(root, ct).ConfigureAwait(false);
            }

            var initdb = ChildProcess.Start(
                new ChildProcessSpec(
                    ServerBinaries.Postgres("initdb"),
                    ["-D", pgdata, "-U", PostgresServerResource.UserName, $"--pwfile={pwfile}", "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"],
                    root) { RunAsUser = runAs },
                Server.Name, Context.Logs, Context.Reaper);
            var code = await initdb.Exited.WaitAsync(TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
            await initdb.StopAsync(Native.SIGTERM, TimeSpan.Zero).ConfigureAwait(false);
            if (code != 0)
            {
                throw new AppHostException($"initdb for '{Server.Name}' failed with code {code} (see {Context.Logs.PathOf(Server.Name)}).");
            }
        }
        finally
        {
            File.Delete(pwfile);
        }
    }

    // The server refuses to run as root, so its folders belong to the postgres user.
    private static async Task ChownAsync(string path, CancellationToken ct)
    {
        using var chown = System.Diagnostics.Process.Start("chown", ["-R", $"{OsUser}:{OsUser}", path]);
        await chown.WaitForExitAsync(ct).ConfigureAwait(false);
        if (chown.ExitCode != 0)
        {
            throw new AppHostException($"chown of {path} to '{OsUser}' failed (is the postgresql package installed?).");
        }
    }

    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(Server.GetConnectionString()) { Pooling = false, Timeout = 3 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT 1", connection);
        return (int)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))! == 1;
    }

    /// <summary>Creates each database of the model that does not exist yet.</summary>
    protected override async Task AfterReadyAsync(CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(Server.GetConnectionString()) { Pooling = false, Database = "postgres" };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        foreach (var database in Server.Databases.Where(d => d.ExternalConnectionString is null))
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database.DatabaseName } } };
            if (await exists.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
            {
                continue;
            }

            try
            {
                var quoted = "\"" + database.DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
                await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                Context.Log(Server.Name, $"created database {database.DatabaseName}");
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Created concurrently by someone else: fine.
            }
        }
    }
}
