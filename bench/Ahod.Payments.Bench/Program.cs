// Payments benchmark: transfers through the gateway, straight to Payments and through a naive endpoint, against
// pgbench's tpcb-like on the same PostgreSQL server, at each client count in the same run.
//   dotnet run -c Release --project bench/Ahod.Payments.Bench -- [--users 32] [--clients 8,64,256] [--seconds 15] [--warmup 20]
// The configuration the bench is built in (-c Release) is the one Aspire runs the services in: the AppHost assembly's
// [AssemblyConfiguration] picks it. The report prints the command line of the running Payments process to show it.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ahod.Bench;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Ahod.Testing;
using Npgsql;

if (args.Length > 0 && args[0] == NaiveServer.Argument)
{
    await NaiveServer.RunAsync(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture));
    return 0;
}

var users = Option("--users", 32);
var clientCounts = (OptionText("--clients") ?? "8,64,256").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
var seconds = Option("--seconds", 15);
var warmupSeconds = Option("--warmup", 20);
var culture = CultureInfo.InvariantCulture;
var maxClients = clientCounts.Max();
Console.WriteLine($"Ahod payments benchmark: {users} users, clients {string.Join(", ", clientCounts)}, {seconds} s per phase " +
    $"(machine: {Environment.ProcessorCount} cores, shared with other work: see 'other' in the CPU tables), {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");

await using var app = await TestApp.StartAhodAsync(["gateway", "identity", "payments"], builder =>
{
    builder.Project("gateway").LiftRateLimits();
    // pgbench at 256 clients needs 256 connections beside the services' pools (the server's default here is 400).
    builder.Builder.CreateResourceBuilder((IResourceWithArgs)builder.Builder.Resources.Single(r => r.Name == "postgres"))
        .WithArgs(["-c", "max_connections=1000", .. StatementReport.ServerArguments]);
    foreach (var name in new[] { "gateway", "identity", "payments" })
    {
        // Request logging at Information costs more CPU than the work measured here.
        builder.Project(name).WithEnvironment("Logging__LogLevel__Default", "Warning");
    }
});
var stateDirectory = app.StateDirectory;
OurPaths.State = stateDirectory;
CpuSample.Groups.Add((NaiveServer.Argument, "naive endpoint"));
Console.WriteLine($"App model started in {app.StartupTime.TotalSeconds:0.0} s (benchmark built {(typeof(TestApp).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyConfigurationAttribute), false).FirstOrDefault() as System.Reflection.AssemblyConfigurationAttribute)?.Configuration}; Aspire runs the services in the same configuration)");

Console.WriteLine($"Payments runs as: {CpuSample.CommandLineOf("/Ahod.Payments/bin/") ?? "?"}");

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxClients + 8 })
{
    BaseAddress = app.GetEndpoint("gateway"),
    Timeout = TimeSpan.FromSeconds(30),
};

// 1. Users with verified email and funded USD wallets.
var setup = Stopwatch.StartNew();
var accounts = new List<(Guid UserId, Guid WalletId, string Token)>();
using (var gate = new SemaphoreSlim(8))
{
    accounts.AddRange(await Task.WhenAll(Enumerable.Range(0, users).Select(async _ =>
    {
        await gate.WaitAsync();
        try
        {
            return await CreateFundedUserAsync(http, Path.Combine(stateDirectory, "mail"));
        }
        finally
        {
            gate.Release();
        }
    })));
}

Console.WriteLine($"Created and funded {users} wallets in {setup.Elapsed.TotalSeconds:0.0} s");

// 2. pgbench's tables in a scratch database on the same server: pgbench and the naive endpoint use them.
var paymentsDb = app.GetConnectionString("paymentsdb");
var server = new NpgsqlConnectionStringBuilder(paymentsDb);
await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres" }.ConnectionString))
{
    await admin.OpenAsync();
    await using var create = new NpgsqlCommand("DROP DATABASE IF EXISTS pgbench_scratch; CREATE DATABASE pgbench_scratch", admin);
    await create.ExecuteNonQueryAsync();
}

const string Pgbench = "/usr/lib/postgresql/15/bin/pgbench";
await PgbenchAsync(["-i", "-s", "10", "-q"]);
var naivePort = FreePort();
using var naive = NaiveServer.Start(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "pgbench_scratch", ConnectionIdleLifetime = 2, ConnectionPruningInterval = 1 }.ConnectionString, naivePort);
using var straight = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxClients + 8 })
{
    BaseAddress = app.GetEndpoint("payments"),
    Timeout = TimeSpan.FromSeconds(30),
};
using var naiveHttp = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = maxClients + 8 })
{
    BaseAddress = new Uri($"http://127.0.0.1:{naivePort}"),
    Timeout = TimeSpan.FromSeconds(30),
};
await NaiveServer.WaitReadyAsync(naiveHttp);

// 3a. Warm-up, not measured: the services start on quickly compiled code and recompile what is hot in the background
// (tiered compilation), which on two busy cores takes tens of seconds; without it the first measured phase (through
// the gateway) paid for that: a CPU profile of Payments in it found a tenth of its time in the JIT. The gateway path
// warms Payments too; pgbench has nothing to warm up.
if (warmupSeconds > 0)
{
    var warm = Stopwatch.StartNew();
    var gatewayWarm = await DriveAsync(http, maxClients, SendTransfer, TimeSpan.FromSeconds(warmupSeconds));
    var naiveWarm = await DriveAsync(naiveHttp, maxClients, NaiveServer.Request, TimeSpan.FromSeconds(warmupSeconds / 2.0));
    Console.WriteLine($"Warmed up in {warm.Elapsed.TotalSeconds:0.0} s: {gatewayWarm.Created + gatewayWarm.Refused} transfers through the gateway " +
        $"({gatewayWarm.Errors} errors), {naiveWarm.Created} at the naive endpoint ({naiveWarm.Errors} errors), {maxClients} clients");
}

// 3. At each client count: transfers through the gateway, straight at Payments (same tokens), through the naive
// endpoint, then pgbench tpcb-like with the same client count and duration.
var rounds = new List<Round>();
foreach (var clients in clientCounts)
{
    // pgbench first: the services' pools shrink back between rounds, so the server has room for pgbench's connections.
    var cpuBefore = CpuSample.Take();
    // Opening many connections (SCRAM) on a busy machine can take most of a short run: pgbench's TPS leaves that time
    // out, but it needs time left to measure, so large client counts get a longer run.
    var pgbenchSeconds = clients >= 128 ? 2 * seconds : seconds;
    await SettleAsync();
    var pgbenchOutput = await PgbenchAsync(["-c", clients.ToString(culture), "-j", "2", "-T", pgbenchSeconds.ToString(culture), "-b", "tpcb-like"]);
    var pgbenchCpu = CpuSample.Take().Minus(cpuBefore);
    var tps = Regex.Match(pgbenchOutput, @"tps = ([0-9.]+) \(without initial connection time\)") is { Success: true } m
        ? double.Parse(m.Groups[1].Value, culture)
        : double.NaN;
    if (double.IsNaN(tps))
    {
        Console.WriteLine("pgbench printed no TPS (no transaction finished):\n" + pgbenchOutput);
    }

    var pgLatency = Regex.Match(pgbenchOutput, @"latency average = ([0-9.]+) ms") is { Success: true } l ? l.Groups[1].Value : "?";
    var phases = new List<Phase>
    {
        await RunPhaseAsync("through the gateway", http, clients, SendTransfer),
        await RunPhaseAsync("direct to payments", straight, clients, SendTransfer),
        await RunPhaseAsync("naive endpoint", naiveHttp, clients, NaiveServer.Request),
    };
    var round = new Round(clients, phases, tps, pgLatency, pgbenchCpu);
    rounds.Add(round);
    Console.WriteLine($"Round of {clients} clients done: pgbench {tps:0} TPS; " + string.Join("; ", phases.Select(p =>
        string.Create(culture, $"{p.Name} {p.PerSecond:0}/s ({p.PerSecond / tps:0.00}), p99 {p.P99:0} ms, {p.Errors} errors"))));
}

// 4. The ledger after the storm.
var ledger = await VerifyLedgerAsync(paymentsDb);

Console.WriteLine();
Console.WriteLine("| clients | path | answered/s | ÷ pgbench | p50 / p99 / max ms | errors | CPU µs per answered request (payments / gateway / postgres / naive / client+host / other) |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var round in rounds)
{
    foreach (var phase in round.Phases)
    {
        Console.WriteLine(string.Create(culture,
            $"| {round.Clients} | {phase.Name} | {phase.PerSecond:0} | {phase.PerSecond / round.Tps:0.00} | {phase.P50:0} / {phase.P99:0} / {phase.Max:0} | " +
            $"{phase.Errors}{(phase.ErrorKinds.Count == 0 ? "" : " (" + string.Join(", ", phase.ErrorKinds.Select(k => $"{k.Key}: {k.Value}")) + ")")} | " +
            $"{Us(phase.Cpu, "payments", phase.Answered)} / {Us(phase.Cpu, "gateway", phase.Answered)} / {Us(phase.Cpu, "postgres", phase.Answered)} / " +
            $"{Us(phase.Cpu, "naive endpoint", phase.Answered)} / {Us(phase.Cpu, "bench client + app host", phase.Answered)} / {Us(phase.Cpu, "other (not this benchmark)", phase.Answered)} |"));
    }

    var transactions = double.IsNaN(round.Tps) ? 0 : (long)(round.Tps * (round.Clients >= 128 ? 2 * seconds : seconds));
    Console.WriteLine(string.Create(culture,
        $"| {round.Clients} | pgbench tpcb-like (-j 2) | {round.Tps:0} | 1.00 | avg {round.PgLatency} | – | postgres {Us(round.PgbenchCpu, "postgres", transactions)}, pgbench {Us(round.PgbenchCpu, "pgbench", transactions)} |"));
}

Console.WriteLine($"\nLedger check after all phases: {ledger}");
foreach (var round in rounds)
{
    foreach (var phase in round.Phases)
    {
        Console.WriteLine();
        Console.WriteLine($"{round.Clients} clients, {phase.Name}: {phase.Answered} answered in {phase.Elapsed.TotalSeconds:0.0} s ({phase.Created} posted, {phase.Refused} refused); CPU (% of one core; µs per answered request):");
        CpuSample.Print(phase.Cpu, phase.Elapsed, phase.Answered, "µs");

        if (phase.Name != "naive endpoint")
        {
            Console.WriteLine(string.Create(culture, $"  PostgreSQL transactions in paymentsdb: {phase.Transactions} ({(double)phase.Transactions / Math.Max(1, phase.Answered):0.00} per transfer)"));
            Console.WriteLine($"  Ledger batches: {phase.Batches.Sum(b => b.Value)} (mean {(double)phase.Created / Math.Max(1, phase.Batches.Sum(b => b.Value)):0.0} posted transfers per commit): "
                + string.Join(", ", phase.Batches.Select(b => $"{b.Key}: {b.Value}")));
        }
    }
}

var worst = rounds.SelectMany(r => r.Phases).Sum(p => p.Errors);
return ledger == "balanced" && worst == 0 ? 0 : 1;

string Us(Dictionary<string, double> cpu, string group, long count) =>
    cpu.TryGetValue(group, out var s) ? (1e6 * s / Math.Max(1, count)).ToString("0", culture) : "–";

HttpRequestMessage SendTransfer(Random random)
{
    var from = accounts[random.Next(accounts.Count)];
    var to = accounts[random.Next(accounts.Count - 1)];
    if (to.UserId == from.UserId)
    {
        to = accounts[^1];
    }

    var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/send")
    {
        Content = JsonContent.Create(new { fromAccountId = from.WalletId, toUserId = to.UserId, amount = new { amount = random.Next(1, 100), currency = "USD" } }),
    };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", from.Token);
    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
    return request;
}

async Task<Phase> RunPhaseAsync(string name, HttpClient client, int clients, Func<Random, HttpRequestMessage> next)
{
    await SettleAsync();
    var scansBefore = await TableScansAsync(paymentsDb);
    var transactionsBefore = await TransactionsAsync(paymentsDb);
    await StatementReport.ResetAsync(paymentsDb);
    var cpuBefore = CpuSample.Take();
    var startedAt = DateTimeOffset.UtcNow;
    var run = Stopwatch.StartNew();
    var load = await DriveAsync(client, clients, next, TimeSpan.FromSeconds(seconds));
    run.Stop();
    var cpu = CpuSample.Take().Minus(cpuBefore);

    // PostgreSQL publishes a backend's counters when it goes idle, at most once a second.
    await Task.Delay(TimeSpan.FromSeconds(1.5));
    var transactions = await TransactionsAsync(paymentsDb) - transactionsBefore;
    var batches = await BatchSizesAsync(paymentsDb, startedAt);
    // A lookup by key that the planner turns into a sequential scan shows here (see NpgsqlHotPath).
    var scans = (await TableScansAsync(paymentsDb)).Select(t => (Table: t.Key, Now: t.Value, Before: scansBefore.GetValueOrDefault(t.Key)))
        .Where(t => t.Now.Seq > t.Before.Seq)
        .Select(t => $"{t.Table} {t.Now.SeqRows - t.Before.SeqRows} rows in {t.Now.Seq - t.Before.Seq} scans (index scans {t.Now.Idx - t.Before.Idx})");
    Console.WriteLine($"  [{name}] rows read by sequential scans in paymentsdb: {string.Join(", ", scans)}");
    Console.WriteLine($"  [{name}] paymentsdb statements by execution time (pg_stat_statements):");
    Console.WriteLine(await StatementReport.TopAsync(paymentsDb, load.Created + load.Refused, "request"));
    var all = load.Latencies.SelectMany(l => l).Order().ToArray();
    double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
    return new Phase(name, run.Elapsed, load.Created, load.Refused, load.Errors, new Dictionary<string, int>(load.ErrorKinds),
        Percentile(0.50), Percentile(0.99), all.Length > 0 ? all[^1] : 0, cpu, transactions, batches);
}

// <paramref name="clients"/> concurrent clients, each sending its next request as soon as the last one is answered.
async Task<Load> DriveAsync(HttpClient client, int clients, Func<Random, HttpRequestMessage> next, TimeSpan duration)
{
    var load = new Load(new List<double>[clients]);
    var stop = DateTime.UtcNow + duration;
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
    {
        var random = new Random(c);
        var mine = load.Latencies[c] = new List<double>(100_000);
        while (DateTime.UtcNow < stop)
        {
            using var request = next(random);
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.SendAsync(request);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.Created or HttpStatusCode.OK: Interlocked.Increment(ref load.Created); break;
                    case HttpStatusCode.UnprocessableEntity: Interlocked.Increment(ref load.Refused); break;
                    default:
                        Interlocked.Increment(ref load.Errors);
                        load.ErrorKinds.AddOrUpdate(((int)response.StatusCode).ToString(culture), 1, (_, n) => n + 1);
                        break;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref load.Errors);
                load.ErrorKinds.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
            }
        }
    }));
    return load;
}

// Every phase (and pgbench) starts from a settled server: the dead rows the previous phase left are vacuumed, the
// statistics are fresh and the dirty pages written, so none of that clean-up is billed to whoever runs next.
async Task SettleAsync()
{
    foreach (var database in new[] { server.Database!, "pgbench_scratch" })
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = database, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var vacuum = new NpgsqlCommand("VACUUM (ANALYZE)", connection) { CommandTimeout = 300 };
        await vacuum.ExecuteNonQueryAsync();
    }

    await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
    await admin.OpenAsync();
    await using var checkpoint = new NpgsqlCommand("CHECKPOINT", admin) { CommandTimeout = 300 };
    await checkpoint.ExecuteNonQueryAsync();
}

static async Task<Dictionary<string, (long Seq, long SeqRows, long Idx)>> TableScansAsync(string connectionString)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(
        "SELECT relname, seq_scan, seq_tup_read, coalesce(idx_scan, 0) FROM pg_stat_user_tables", connection);
    await using var reader = await command.ExecuteReaderAsync();
    var scans = new Dictionary<string, (long, long, long)>();
    while (await reader.ReadAsync())
    {
        scans[reader.GetString(0)] = (reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    return scans;
}

static async Task<long> TransactionsAsync(string connectionString)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(
        "SELECT pg_stat_clear_snapshot(); SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()", connection);
    await using var reader = await command.ExecuteReaderAsync();
    await reader.NextResultAsync();
    await reader.ReadAsync();
    return reader.GetInt64(0);
}

/// <summary>A batch stamps all its transfers with one time, so transfers per distinct created_at are the batch sizes.</summary>
static async Task<SortedDictionary<string, int>> BatchSizesAsync(string connectionString, DateTimeOffset since)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand("""
        SELECT width_bucket(n, ARRAY[1, 2, 4, 8, 16, 32, 64, 128]) AS b, count(*)
        FROM (SELECT count(*) n FROM transfers WHERE code = 'p2p' AND created_at >= $1 GROUP BY created_at) x
        GROUP BY b ORDER BY b
        """, connection);
    command.Parameters.Add(new NpgsqlParameter { Value = since });
    string[] labels = ["1", "2-3", "4-7", "8-15", "16-31", "32-63", "64-127", "128+"];
    var histogram = new SortedDictionary<string, int>(Comparer<string>.Create((a, b) => Array.IndexOf(labels, a).CompareTo(Array.IndexOf(labels, b))));
    await using var reader = await command.ExecuteReaderAsync();
    while (await reader.ReadAsync())
    {
        histogram[labels[reader.GetInt32(0) - 1]] = (int)reader.GetInt64(1);
    }

    return histogram;
}

async Task<string> PgbenchAsync(string[] arguments)
{
    var start = new ProcessStartInfo(Pgbench) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in new[] { "-h", server.Host!, "-p", server.Port.ToString(culture), "-U", server.Username! }.Concat(arguments).Append("pgbench_scratch"))
    {
        start.ArgumentList.Add(a);
    }

    start.Environment["PGPASSWORD"] = server.Password;
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"pgbench {string.Join(' ', arguments)} failed: {await error}");
    }

    return await output + await error;
}

static async Task<(Guid, Guid, string)> CreateFundedUserAsync(HttpClient http, string mailDirectory)
{
    const string password = "correct horse battery staple";
    var id = Guid.NewGuid().ToString("N")[..12];
    var email = $"bench.{id}@ahod.test";
    (await http.PostAsJsonAsync("/api/auth/signup", new { email, password, passwordConfirmation = password, userName = $"b_{id}", firstName = "Bench", lastName = "User" }))
        .EnsureSuccessStatusCode();
    string? token = null;
    for (var attempt = 0; token is null && attempt < 200; attempt++)
    {
        foreach (var file in Directory.Exists(mailDirectory) ? Directory.GetFiles(mailDirectory, "*.eml") : [])
        {
            var text = await File.ReadAllTextAsync(file);
            if (text.Contains($"To: {email}", StringComparison.OrdinalIgnoreCase)
                && Regex.Match(text, @"\?email=[^&\s]+&token=(?<token>[A-Za-z0-9_%-]+)") is { Success: true } link)
            {
                token = Uri.UnescapeDataString(link.Groups["token"].Value);
            }
        }

        if (token is null)
        {
            await Task.Delay(50);
        }
    }

    (await http.PostAsJsonAsync("/api/auth/verify-email", new { email, token })).EnsureSuccessStatusCode();
    var signin = await http.PostAsJsonAsync("/api/auth/signin", new { email, password });
    var auth = await signin.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
    var accessToken = auth.GetProperty("accessToken").GetString()!;
    var userId = auth.GetProperty("user").GetProperty("id").GetGuid();
    for (var attempt = 0; ; attempt++)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/payments/accounts");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var wallets = await (await http.SendAsync(request)).EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>();
        if (wallets.GetArrayLength() > 0)
        {
            var walletId = wallets[0].GetProperty("id").GetGuid();
            using var deposit = new HttpRequestMessage(HttpMethod.Post, "/api/payments/deposit")
            {
                Content = JsonContent.Create(new { accountId = walletId, amount = new { amount = 100_000_000, currency = "USD" }, source = new { type = "card", token = "tok_sandbox_success" } }),
            };
            deposit.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            deposit.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            (await http.SendAsync(deposit)).EnsureSuccessStatusCode();
            return (userId, walletId, accessToken);
        }

        if (attempt > 200)
        {
            throw new TimeoutException($"No wallet was opened for {email}.");
        }

        await Task.Delay(50);
    }
}

static async Task<string> VerifyLedgerAsync(string connectionString)
{
    string[] checks =
    [
        """
        SELECT count(*) FROM accounts a LEFT JOIN LATERAL (
            SELECT coalesce(sum(amount) FILTER (WHERE side = 'D' AND NOT pending), 0) dp, coalesce(sum(amount) FILTER (WHERE side = 'C' AND NOT pending), 0) cp,
                   coalesce(sum(amount) FILTER (WHERE side = 'D' AND pending), 0) dpe, coalesce(sum(amount) FILTER (WHERE side = 'C' AND pending), 0) cpe
            FROM entries e WHERE e.account_id = a.id) s ON true
        WHERE a.debits_posted <> s.dp OR a.credits_posted <> s.cp OR a.debits_pending <> s.dpe OR a.credits_pending <> s.cpe
        """,
        "SELECT count(*) FROM accounts WHERE (flags & 1) = 1 AND debits_posted + debits_pending > credits_posted",
        "SELECT count(*) FROM (SELECT currency FROM accounts GROUP BY currency HAVING sum(credits_posted - debits_posted) <> 0) x",
    ];
    string[] names = ["accounts whose counters differ from their entries", "overdrawn wallets", "currencies whose balances do not sum to zero"];
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    var problems = new List<string>();
    for (var i = 0; i < checks.Length; i++)
    {
        await using var command = new NpgsqlCommand(checks[i], connection) { CommandTimeout = 300 };
        if ((long)(await command.ExecuteScalarAsync())! is var count and > 0)
        {
            problems.Add($"{count} {names[i]}");
        }
    }

    return problems.Count == 0 ? "balanced" : string.Join("; ", problems);
}

string? OptionText(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>What one run of clients got back: latencies per client, answers by kind.</summary>
internal sealed class Load(List<double>[] latencies)
{
    public List<double>[] Latencies { get; } = latencies;
    public int Created;
    public int Refused;
    public int Errors;
    public System.Collections.Concurrent.ConcurrentDictionary<string, int> ErrorKinds { get; } = new();
}

internal sealed record Round(int Clients, List<Phase> Phases, double Tps, string PgLatency, Dictionary<string, double> PgbenchCpu);

internal sealed record Phase(
    string Name, TimeSpan Elapsed, int Created, int Refused, int Errors, Dictionary<string, int> ErrorKinds,
    double P50, double P99, double Max, Dictionary<string, double> Cpu, long Transactions, SortedDictionary<string, int> Batches)
{
    public int Answered => Created + Refused;

    public double PerSecond => Answered / Elapsed.TotalSeconds;
}
