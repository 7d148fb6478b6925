using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Ahod.Testing;

// Authenticated GET /api/auth/me through the gateway vs straight to Identity, C concurrent callers (each its own user and
// session, so each request's session is checked for revocation like a real client's), one run. The two targets are
// measured in interleaved rounds, in alternating order, after a warm-up of both: the one measured first would otherwise
// run on less JIT-optimized code and look slower.
// Usage: dotnet run --project bench/Ahod.Gateway.Bench -c Release -- [--concurrency 32] [--seconds 12] [--rounds 4]
var concurrency = Option(args, "--concurrency", 32);
var seconds = Option(args, "--seconds", 12);
var rounds = Option(args, "--rounds", 4);
var ct = CancellationToken.None;

Console.WriteLine($"Starting the app model (gateway, identity, postgres, redis, rabbitmq) ...");
await using var app = await TestApp.StartAhodAsync(["gateway", "identity"], builder =>
{
    // The benchmark measures forwarding, not the limiter refusing one user's flood.
    builder.Project("gateway").LiftRateLimits();
    foreach (var name in new[] { "gateway", "identity" })
    {
        // Request logging at Information would measure the console, not the proxy.
        builder.Project(name).WithEnvironment("Logging__LogLevel__Default", "Warning");
    }
}, ct);

var gatewayUri = app.GetEndpoint("gateway");
var identityUri = app.GetEndpoint("identity");
var tokens = new string[concurrency];
await Parallel.ForEachAsync(Enumerable.Range(0, concurrency), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, token) =>
    tokens[i] = await SignUpAsync(gatewayUri, token));
Console.WriteLine($"gateway {gatewayUri}  identity {identityUri}  concurrency {concurrency} (one session each)  {seconds} s per target in " +
    $"{rounds} rounds  ({Environment.ProcessorCount} CPUs shared by all processes)");

// Warm both paths (JIT, connection pools, JWKS and session caches), then measure in rounds: direct first in odd rounds,
// the gateway first in even ones.
await RunAsync(identityUri, tokens, TimeSpan.FromSeconds(3));
await RunAsync(gatewayUri, tokens, TimeSpan.FromSeconds(3));
var slice = TimeSpan.FromSeconds((double)seconds / rounds);
var direct = new List<Result>();
var viaGateway = new List<Result>();
for (var round = 0; round < rounds; round++)
{
    if (round % 2 == 0)
    {
        direct.Add(await RunAsync(identityUri, tokens, slice));
        viaGateway.Add(await RunAsync(gatewayUri, tokens, slice));
    }
    else
    {
        viaGateway.Add(await RunAsync(gatewayUri, tokens, slice));
        direct.Add(await RunAsync(identityUri, tokens, slice));
    }
}

var directTotal = Result.Combine(direct);
var gatewayTotal = Result.Combine(viaGateway);
Console.WriteLine();
Console.WriteLine($"{"target",-10} {"requests",9} {"errors",7} {"req/s",9} {"p50 ms",8} {"p99 ms",8}");
Print("direct", directTotal);
Print("gateway", gatewayTotal);
var ratio = gatewayTotal.RequestsPerSecond / directTotal.RequestsPerSecond;
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"per round, gateway ÷ direct: {string.Join("  ", direct.Zip(viaGateway, (d, g) => (g.RequestsPerSecond / d.RequestsPerSecond).ToString("0.00", CultureInfo.InvariantCulture)))}"));
Console.WriteLine($"gateway ÷ direct = {ratio:0.00} (goal ≥ 0.60): {(ratio >= 0.6 ? "met" : "NOT met")}");
return directTotal.Errors + gatewayTotal.Errors == 0 ? 0 : 1;

static async Task<string> SignUpAsync(Uri gateway, CancellationToken ct)
{
    using var client = new HttpClient { BaseAddress = gateway };
    var suffix = Guid.NewGuid().ToString("N")[..12];
    var password = $"Bench-{suffix}-password";
    using var response = await client.PostAsJsonAsync("/api/auth/signup", new
    {
        email = $"bench-{suffix}@ahod.test",
        password,
        passwordConfirmation = password,
        userName = $"bench_{suffix}",
        firstName = "Bench",
        lastName = "Mark",
    }, ct);
    var body = await response.Content.ReadAsStringAsync(ct);
    if (response.StatusCode != HttpStatusCode.Created)
    {
        throw new InvalidOperationException($"Sign-up failed: {(int)response.StatusCode} {body}");
    }

    return JsonNode.Parse(body)!["accessToken"]!.GetValue<string>();
}

static async Task<Result> RunAsync(Uri target, string[] tokens, TimeSpan duration)
{
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = tokens.Length, UseCookies = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
    using var client = new HttpClient(handler) { BaseAddress = target };
    var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var started = Stopwatch.GetTimestamp();
    var workers = tokens.Select(token => Task.Run(async () =>
    {
        var authorization = new AuthenticationHeaderValue("Bearer", token);
        var latencies = new List<long>(100_000);
        var errors = 0;
        while (Stopwatch.GetTimestamp() < until)
        {
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/auth/me", UriKind.Relative)) { Headers = { Authorization = authorization } };
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    errors++;
                    continue;
                }
            }
            catch (HttpRequestException)
            {
                errors++;
                continue;
            }

            latencies.Add(Stopwatch.GetTimestamp() - t0);
        }

        return (latencies, errors);
    })).ToArray();
    var results = await Task.WhenAll(workers);
    var elapsed = Stopwatch.GetElapsedTime(started);
    return new Result([.. results.SelectMany(r => r.latencies)], results.Sum(r => r.errors), elapsed);
}

static void Print(string name, Result r) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-10} {r.Requests,9} {r.Errors,7} {r.RequestsPerSecond,9:0} {r.P50Ms,8:0.00} {r.P99Ms,8:0.00}"));

static int Option(string[] args, string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

/// <summary>One measured run (or several combined): every latency in Stopwatch ticks, the errors and the time taken.</summary>
internal sealed record Result(long[] Latencies, int Errors, TimeSpan Elapsed)
{
    public int Requests => Latencies.Length;

    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double P50Ms => Percentile(0.50);

    public double P99Ms => Percentile(0.99);

    public static Result Combine(IEnumerable<Result> runs) =>
        runs.Aggregate(new Result([], 0, TimeSpan.Zero), (sum, r) => new Result([.. sum.Latencies, .. r.Latencies], sum.Errors + r.Errors, sum.Elapsed + r.Elapsed));

    private double Percentile(double p)
    {
        var sorted = Latencies.Order().ToArray();
        return sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] * 1000.0 / Stopwatch.Frequency;
    }
}
