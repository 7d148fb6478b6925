using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Ahod.Testing;

// Authenticated GET /api/auth/me through the gateway vs straight to Identity, C concurrent callers for T seconds each, one run.
// Usage: dotnet run --project bench/Ahod.Gateway.Bench -c Release -- [--concurrency 32] [--seconds 10]
var concurrency = Option(args, "--concurrency", 32);
var seconds = Option(args, "--seconds", 10);
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
var token = await SignUpAsync(gatewayUri, ct);
Console.WriteLine($"gateway {gatewayUri}  identity {identityUri}  concurrency {concurrency}  {seconds} s per target  ({Environment.ProcessorCount} CPUs shared by all processes)");

// Warm both paths (JIT, connection pools, JWKS cache), then measure each in turn.
await RunAsync(identityUri, token, concurrency, TimeSpan.FromSeconds(2));
await RunAsync(gatewayUri, token, concurrency, TimeSpan.FromSeconds(2));
var direct = await RunAsync(identityUri, token, concurrency, TimeSpan.FromSeconds(seconds));
var viaGateway = await RunAsync(gatewayUri, token, concurrency, TimeSpan.FromSeconds(seconds));

Console.WriteLine();
Console.WriteLine($"{"target",-10} {"requests",9} {"errors",7} {"req/s",9} {"p50 ms",8} {"p99 ms",8}");
Print("direct", direct);
Print("gateway", viaGateway);
var ratio = viaGateway.RequestsPerSecond / direct.RequestsPerSecond;
Console.WriteLine();
Console.WriteLine($"gateway ÷ direct = {ratio:0.00} (goal ≥ 0.60): {(ratio >= 0.6 ? "met" : "NOT met")}");
return direct.Errors + viaGateway.Errors == 0 ? 0 : 1;

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

static async Task<Result> RunAsync(Uri target, string token, int concurrency, TimeSpan duration)
{
    using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, UseCookies = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
    using var client = new HttpClient(handler) { BaseAddress = target };
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
    var started = Stopwatch.GetTimestamp();
    var workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        var latencies = new List<long>(100_000);
        var errors = 0;
        while (Stopwatch.GetTimestamp() < until)
        {
            var t0 = Stopwatch.GetTimestamp();
            try
            {
                using var response = await client.GetAsync(new Uri("/api/auth/me", UriKind.Relative), HttpCompletionOption.ResponseContentRead);
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
    var all = results.SelectMany(r => r.latencies).Order().ToArray();
    return new Result(all.Length, results.Sum(r => r.errors), all.Length / elapsed.TotalSeconds, Percentile(all, 0.50), Percentile(all, 0.99));
}

static double Percentile(long[] sorted, double p) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))] * 1000.0 / Stopwatch.Frequency;

static void Print(string name, Result r) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{name,-10} {r.Requests,9} {r.Errors,7} {r.RequestsPerSecond,9:0} {r.P50Ms,8:0.00} {r.P99Ms,8:0.00}"));

static int Option(string[] args, string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

internal sealed record Result(int Requests, int Errors, double RequestsPerSecond, double P50Ms, double P99Ms);
