using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Npgsql;

/// <summary>
/// The design a user might write instead of Ahod's ledger: a minimal ASP.NET Core endpoint that runs one pgbench
/// tpcb-like transaction per request (update an account, read it back, update its teller and branch, insert a
/// history row: five statements, one round trip each, then COMMIT) on pgbench's tables. Same stack as the services
/// (Kestrel, minimal APIs, System.Text.Json, Npgsql), none of the product's guarantees (no authentication, no
/// idempotency, no overdraft rule, no double entry). It runs as a child process of the bench so its CPU is its own.
/// </summary>
internal static class NaiveServer
{
    public const string Argument = "--naive-server";

    public static Process Start(string connectionString, int port)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(NaiveServer).Assembly.Location);
        }

        start.ArgumentList.Add(Argument);
        start.ArgumentList.Add(connectionString);
        start.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("The naive endpoint did not start.");
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { process.Kill(); } catch (InvalidOperationException) { } };
        return process;
    }

    public static async Task WaitReadyAsync(HttpClient http)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await http.SendAsync(Request(new Random(0)));
                response.EnsureSuccessStatusCode();
                return;
            }
            catch (HttpRequestException) when (attempt < 200)
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>A random tpcb-like transaction at scale 10 (1,000,000 accounts, 100 tellers, 10 branches), as pgbench draws them.</summary>
    public static HttpRequestMessage Request(Random random) => new(HttpMethod.Post, "/transfer")
    {
        Content = JsonContent.Create(new TpcbRequest(random.Next(1, 1_000_001), random.Next(1, 101), random.Next(1, 11), random.Next(-5000, 5001))),
    };

    /// <summary>Serves until the bench (<paramref name="parent"/>) is gone, even if it crashed.</summary>
    public static async Task RunAsync(string connectionString, int port, int parent)
    {
        _ = Task.Run(async () =>
        {
            while (File.Exists($"/proc/{parent}/stat"))
            {
                await Task.Delay(1000);
            }

            Environment.Exit(0);
        });
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        app.MapPost("/transfer", async (TpcbRequest body, CancellationToken ct) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            await ExecuteAsync(connection, "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2", ct, body.Delta, body.Aid);
            await using (var select = new NpgsqlCommand("SELECT abalance FROM pgbench_accounts WHERE aid = $1", connection))
            {
                select.Parameters.Add(new NpgsqlParameter { Value = body.Aid });
                var balance = (int)(await select.ExecuteScalarAsync(ct))!;
                await ExecuteAsync(connection, "UPDATE pgbench_tellers SET tbalance = tbalance + $1 WHERE tid = $2", ct, body.Delta, body.Tid);
                await ExecuteAsync(connection, "UPDATE pgbench_branches SET bbalance = bbalance + $1 WHERE bid = $2", ct, body.Delta, body.Bid);
                await ExecuteAsync(connection, "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES ($1, $2, $3, $4, CURRENT_TIMESTAMP)", ct,
                    body.Tid, body.Bid, body.Aid, body.Delta);
                await transaction.CommitAsync(ct);
                return TypedResults.Ok(new TpcbResponse(body.Aid, balance));
            }
        });
        await app.RunAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(ct);
    }

    internal sealed record TpcbRequest(int Aid, int Tid, int Bid, int Delta);

    internal sealed record TpcbResponse(int Aid, int Balance);
}
