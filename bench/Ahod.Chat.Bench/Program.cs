using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Ahod.Bench;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Ahod.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Npgsql;
using StackExchange.Redis;

// C SignalR clients (negotiated, stateful reconnect, as the web app connects) spread over chat's two replicas (U users,
// clients round-robin over them; users paired in direct conversations), M messages/s for T seconds: send → delivered at
// the other user's first connection, p50/p99 and the rate achieved; beside raw Redis pub/sub round trips at the same
// rate on the same Redis, in the same run.
// Usage: dotnet run -c Release --project bench/Ahod.Chat.Bench -- [--clients 1000] [--users 100] [--rate 200] [--seconds 15] [--warmup 30]
var clients = Option(args, "--clients", 1000);
var users = Option(args, "--users", 100);
var rate = Option(args, "--rate", 200);
var seconds = Option(args, "--seconds", 15);
var warmupSeconds = Option(args, "--warmup", 30);
var ct = CancellationToken.None;

Console.WriteLine("Starting the app model (chat ×2, identity, postgres, redis, rabbitmq) ...");
await using var app = await TestApp.StartAhodAsync(["identity", "chat"], builder =>
{
    foreach (var name in new[] { "identity", "chat" })
    {
        builder.Project(name).WithEnvironment("Logging__LogLevel__Default", "Warning");
    }

    // pg_stat_statements shows which statements PostgreSQL's share of the CPU goes to.
    builder.Builder.CreateResourceBuilder((IResourceWithArgs)builder.Builder.Resources.Single(r => r.Name == "postgres"))
        .WithArgs(StatementReport.ServerArguments);
}, ct);

OurPaths.State = app.StateDirectory;
var identity = new HttpClient { BaseAddress = app.GetEndpoint("identity"), Timeout = TimeSpan.FromMinutes(2) };
var chat = new HttpClient { BaseAddress = app.GetEndpoint("chat"), Timeout = TimeSpan.FromMinutes(2) };
var replicas = app.InstanceEndpoints("chat");
Console.WriteLine($"replicas {string.Join(", ", replicas)}; {clients} clients, {users} users, {rate} msg/s for {seconds} s ({Environment.ProcessorCount} CPUs shared by every process on the machine)");

var accounts = new (Guid Id, string Token)[users];
await Parallel.ForEachAsync(Enumerable.Range(0, users), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, token) =>
    accounts[i] = await SignUpAsync(identity, token));
var conversationOf = new Guid[users];
await Parallel.ForEachAsync(Enumerable.Range(0, users / 2), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (pair, token) =>
{
    var id = await DirectConversationAsync(chat, accounts[2 * pair].Token, accounts[2 * pair + 1].Id, token);
    conversationOf[2 * pair] = conversationOf[2 * pair + 1] = id;
});

var sentAt = new ConcurrentDictionary<string, long>();
var latencies = new ConcurrentBag<double>();
var delivered = new ConcurrentDictionary<string, byte>();
var connections = new HubConnection[clients];
var connect = Stopwatch.StartNew();
await Parallel.ForEachAsync(Enumerable.Range(0, clients), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, token) =>
{
    var user = i % users;
    var hub = new HubConnectionBuilder()
        .WithUrl(new Uri(replicas[i % replicas.Count], "/hubs/chat"), o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.AccessTokenProvider = () => Task.FromResult<string?>(accounts[user].Token);
        })
        .WithStatefulReconnect() // as the web app connects: the server keeps each push until the client acknowledges it
        .Build();
    hub.On<JsonElement>("message", m =>
    {
        var clientId = m.GetProperty("clientMessageId").GetString()!;
        if (m.GetProperty("senderId").GetGuid() != accounts[user].Id && sentAt.TryGetValue(clientId, out var start) && delivered.TryAdd(clientId, 0))
        {
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
    });
    await hub.StartAsync(token);
    connections[i] = hub;
});
Console.WriteLine($"{clients} clients connected in {connect.Elapsed.TotalSeconds:0.0} s");

// Warm up at the same rate, then measure. The services start on quickly compiled code and recompile what is hot in
// the background (tiered compilation); on two busy cores that takes tens of seconds, and a short warm-up measured the
// service half on unoptimized code.
var warmup = Stopwatch.StartNew();
await DriveAsync(TimeSpan.FromSeconds(warmupSeconds), "warm");
Console.WriteLine($"warmed up: {warmupSeconds} s at {rate} msg/s in {warmup.Elapsed.TotalSeconds:0.0} s");
sentAt.Clear();
latencies.Clear();
delivered.Clear();
await StatementReport.ResetAsync(app.GetConnectionString("chatdb"));
var cpuBefore = CpuSample.Take();
var (sent, failed, elapsed) = await DriveAsync(TimeSpan.FromSeconds(seconds), "run");
var cpu = CpuSample.Take().Minus(cpuBefore);
await Task.Delay(TimeSpan.FromSeconds(2));
var chatLatencies = latencies.ToArray();

var redisBaseline = await RedisRoundTripsAsync(app.GetConnectionString("redis"), rate, TimeSpan.FromSeconds(seconds));

Console.WriteLine();
Console.WriteLine($"{"path",-34} {"sent",7} {"recv",7} {"failed",6} {"msg/s",8} {"p50 ms",8} {"p99 ms",8}");
Print("SignalR send → delivered (2 repl.)", sent, chatLatencies, failed, sent / elapsed.TotalSeconds);
Print("raw Redis pub/sub round trip", redisBaseline.Sent, redisBaseline.Latencies, 0, redisBaseline.Sent / seconds);

// Where the CPU went while the measured messages were sent: per message, by process group. Each message is also an
// outbox event (chat.message-sent) that Chat relays to RabbitMQ; the outbox rows still unpublished at the end show
// whether that keeps up.
Console.WriteLine();
Console.WriteLine($"CPU during the measured {elapsed.TotalSeconds:0.0} s (every process of the app and the bench's clients share {Environment.ProcessorCount} cores):");
CpuSample.Print(cpu, elapsed, sent, "µs/message");

Console.WriteLine($"outbox events not yet published at the end: {await ChatDbAsync("SELECT count(*) FROM outbox_messages WHERE processed_at IS NULL")}");
Console.WriteLine();
Console.WriteLine("chatdb statements by execution time during the measured phase (pg_stat_statements):");
Console.WriteLine(await StatementReport.TopAsync(app.GetConnectionString("chatdb"), sent, "message"));

var p99 = Percentile(chatLatencies, 0.99);
Console.WriteLine();
Console.WriteLine($"goal p99 < 50 ms at {rate} msg/s: {(p99 < 50 && sent / elapsed.TotalSeconds >= rate * 0.95 ? "met" : "NOT met")}");
foreach (var c in connections)
{
    await c.DisposeAsync();
}

return failed == 0 ? 0 : 1;

async Task<object?> ChatDbAsync(string sql)
{
    await using var connection = new NpgsqlConnection(app.GetConnectionString("chatdb"));
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    return await command.ExecuteScalarAsync();
}

async Task<(int Sent, int Failed, TimeSpan Elapsed)> DriveAsync(TimeSpan duration, string tag)
{
    var interval = TimeSpan.FromSeconds(1.0 / rate);
    var clock = Stopwatch.StartNew();
    var inFlight = new List<Task>();
    var count = 0;
    var failures = 0;
    var random = new Random(42);
    while (clock.Elapsed < duration)
    {
        var due = interval * count;
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed);
        }

        var client = random.Next(clients);
        var user = client % users;
        var clientId = $"{tag}-{count}";
        sentAt[clientId] = Stopwatch.GetTimestamp();
        inFlight.Add(connections[client].InvokeAsync<JsonElement>("SendMessage", conversationOf[user], clientId, $"bench message {count}")
            .ContinueWith(t => { if (!t.IsCompletedSuccessfully) Interlocked.Increment(ref failures); }));
        count++;
    }

    await Task.WhenAll(inFlight);
    return (count, failures, clock.Elapsed);
}

static async Task<(int Sent, double[] Latencies)> RedisRoundTripsAsync(string connectionString, int rate, TimeSpan duration)
{
    await using var publisher = await ConnectionMultiplexer.ConnectAsync(connectionString);
    await using var subscriber = await ConnectionMultiplexer.ConnectAsync(connectionString);
    var channel = RedisChannel.Literal($"bench-{Guid.NewGuid():N}");
    var latencies = new ConcurrentBag<double>();
    await subscriber.GetSubscriber().SubscribeAsync(channel, (_, value) => latencies.Add(Stopwatch.GetElapsedTime((long)value).TotalMilliseconds));
    var interval = TimeSpan.FromSeconds(1.0 / rate);
    var clock = Stopwatch.StartNew();
    var sent = 0;
    var db = publisher.GetSubscriber();
    while (clock.Elapsed < duration)
    {
        var due = interval * sent;
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed);
        }

        _ = db.PublishAsync(channel, Stopwatch.GetTimestamp());
        sent++;
    }

    await Task.Delay(TimeSpan.FromSeconds(1));
    return (sent, latencies.ToArray());
}

static async Task<(Guid Id, string Token)> SignUpAsync(HttpClient identity, CancellationToken ct)
{
    var suffix = Guid.NewGuid().ToString("N")[..12];
    var password = $"Bench-{suffix}-password";
    using var response = await identity.PostAsJsonAsync("/api/auth/signup", new
    {
        email = $"bench-{suffix}@ahod.test", password, passwordConfirmation = password, userName = $"bench_{suffix}", firstName = "Bench", lastName = "Mark",
    }, ct);
    response.EnsureSuccessStatusCode();
    var auth = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    return (auth.GetProperty("user").GetProperty("id").GetGuid(), auth.GetProperty("accessToken").GetString()!);
}

static async Task<Guid> DirectConversationAsync(HttpClient chat, string token, Guid other, CancellationToken ct)
{
    // Chat learns of a new user from user.registered: retry until it has.
    for (var attempt = 0; ; attempt++)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/conversations") { Content = JsonContent.Create(new { type = "direct", userId = other }) };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await chat.SendAsync(request, ct);
        if (response.IsSuccessStatusCode)
        {
            return (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetGuid();
        }

        if (attempt > 300)
        {
            throw new InvalidOperationException($"Could not open a conversation: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
        }

        await Task.Delay(200, ct);
    }
}

static void Print(string name, int sent, double[] latencies, int failed, double perSecond) =>
    Console.WriteLine($"{name,-34} {sent,7} {latencies.Length,7} {failed,6} {perSecond,8:0.0} {Percentile(latencies, 0.5),8:0.00} {Percentile(latencies, 0.99),8:0.00}");

static double Percentile(double[] values, double p)
{
    if (values.Length == 0)
    {
        return double.NaN;
    }

    var sorted = values.Order().ToArray();
    return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

static int Option(string[] args, string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var value) ? value : fallback;
}
