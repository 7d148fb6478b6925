// Marketplace benchmark. (1) Search: 100,000 seeded listings, one search (q + filters) fired by N clients through the
// gateway vs the same SQL run by pgbench -f on the same PostgreSQL in the same run. (2) Images: the service's
// processor (NetVips, three WebP sizes) vs Debian's vipsthumbnail making the same three sizes of the same files.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Ahod.Marketplace.Images;
using Ahod.Marketplace.Listings;
using Ahod.Testing;
using Aspire.Hosting;
using NetVips;
using Npgsql;

var culture = CultureInfo.InvariantCulture;
var listings = Option("--listings", 100_000);
var clients = Option("--clients", 32);
var seconds = Option("--seconds", 15);
var images = Option("--images", 24);

Console.WriteLine($"Ahod.Marketplace.Bench: {listings} listings, {clients} clients, {seconds} s, {images} images; {Environment.ProcessorCount} cores (shared: other work may run beside it)");
await using var app = await TestApp.StartAhodAsync(["gateway", "marketplace"], builder => builder.Project("gateway").LiftRateLimits());
var db = app.GetConnectionString("marketplacedb");

// 1. Seed in SQL (PostgreSQL fills the generated search_vector and the GIN indexes).
var seeding = Stopwatch.StartNew();
await ExecuteAsync(db, SeedSql(listings));
await ExecuteAsync(db, "VACUUM ANALYZE listings");
Console.WriteLine($"seeded {listings} listings in {seeding.Elapsed.TotalSeconds:0.0} s");

const string Search = "q=calculus%20tutor&kind=service&category=tutoring&attr.level=university&minPrice=1000&limit=20";
var query = new ListingSearch.Query("calculus tutor", "service", "tutoring", """{"level":"university"}""", 1000, null, null, null, null,
    "published", "relevance", 20, null);
var (sql, parameters) = ListingSearch.BuildSql(query);

// The plan PostgreSQL runs for it, once warm (the first run reads the pages in): where a query's time goes.
var explain = "EXPLAIN (ANALYZE, BUFFERS) " + Inline(sql, parameters);
await QueryAsync(db, explain);
Console.WriteLine("plan of the search (EXPLAIN ANALYZE, second run):");
Console.WriteLine(string.Join(Environment.NewLine, (await QueryAsync(db, explain)).Select(line => "  " + line)));

using var http = app.CreateHttpClient("gateway");
using (var probe = await http.GetAsync("/api/listings?" + Search))
{
    var body = await probe.Content.ReadAsStringAsync();
    if (!probe.IsSuccessStatusCode || !body.Contains("\"items\":[{", StringComparison.Ordinal))
    {
        throw new InvalidOperationException($"The search answered {(int)probe.StatusCode} without results: {body[..Math.Min(300, body.Length)]}");
    }
}

// 2. The search through the gateway: warm-up, then closed-loop clients for the duration.
await LoadAsync(http, "/api/listings?" + Search, clients, TimeSpan.FromSeconds(3));
var (gatewayRps, p50, p99, errors) = await LoadAsync(http, "/api/listings?" + Search, clients, TimeSpan.FromSeconds(seconds));

// 3. The same SQL by pgbench on the same server, same clients and duration.
var script = Path.Combine(Path.GetTempPath(), $"ahod-market-search-{Guid.NewGuid():N}.sql");
await File.WriteAllTextAsync(script, Inline(sql, parameters) + ";\n");
var pgbench = await PgbenchAsync(db, ["-n", "-c", clients.ToString(culture), "-j", "2", "-T", seconds.ToString(culture), "-f", script]);
File.Delete(script);
var tps = double.Parse(Regex.Match(pgbench, @"tps = ([0-9.]+) \(without initial connection time\)").Groups[1].Value, culture);
var pgLatency = Regex.Match(pgbench, @"latency average = ([0-9.]+) ms").Groups[1].Value;

// 4. Images: the same files through both, three sizes each, sequentially (libvips threads inside each).
var folder = Directory.CreateTempSubdirectory("ahod-market-images-").FullName;
var files = Enumerable.Range(0, images).Select(i =>
{
    using var noise = Image.Gaussnoise(4000, 3000, mean: 128, sigma: 40);
    using var colour = noise.Bandjoin(noise.FlipHor(), noise.FlipVer()).Cast(Enums.BandFormat.Uchar);
    var path = Path.Combine(folder, $"photo{i:00}.jpg");
    colour.Jpegsave(path, q: 85);
    return path;
}).ToList();
var processor = new ImageProcessor();
var ours = Stopwatch.StartNew();
foreach (var file in files)
{
    var result = await processor.ProcessAsync(await File.ReadAllBytesAsync(file), CancellationToken.None);
    if (result.Image is null)
    {
        throw new InvalidOperationException($"{file}: {result.Refusal}");
    }
}

ours.Stop();
var vips = Stopwatch.StartNew();
var output = Directory.CreateDirectory(Path.Combine(folder, "out")).FullName;
foreach (var (size, crop) in new[] { ("70x70", true), ("320x320", true), ("1080x1080", false) })
{
    var arguments = new List<string> { "-s", size };
    if (crop)
    {
        arguments.AddRange(["--smartcrop", "centre"]);
    }

    arguments.AddRange(["-o", Path.Combine(output, $"%s-{size}.webp[Q=82,strip]")]);
    arguments.AddRange(files);
    await RunAsync("vipsthumbnail", arguments);
}

vips.Stop();
Directory.Delete(folder, recursive: true);
var oursPerSecond = images / ours.Elapsed.TotalSeconds;
var vipsPerSecond = images / vips.Elapsed.TotalSeconds;

Console.WriteLine();
Console.WriteLine("| measure | figure |");
Console.WriteLine("|---|---|");
Console.WriteLine($"| search via gateway, {clients} clients, {seconds} s | {gatewayRps:0} req/s, p50 {p50:0.0} ms, p99 {p99:0.0} ms, {errors} errors |");
Console.WriteLine($"| same SQL by pgbench -f, -c {clients} -j 2 -T {seconds} | {tps:0} TPS, {pgLatency} ms avg |");
Console.WriteLine($"| ratio gateway ÷ pgbench (goal ≥ 0.5, p99 < 50 ms) | {gatewayRps / tps:0.00} |");
Console.WriteLine($"| images, {ImageProcessor.LibvipsVersion} (NetVips), 3 WebP sizes of 4000×3000 JPEGs | {oursPerSecond:0.00} images/s |");
Console.WriteLine($"| same files, Debian vipsthumbnail ({(await RunAsync("vipsthumbnail", ["--vips-version"])).Trim()}), 3 sizes | {vipsPerSecond:0.00} images/s |");
Console.WriteLine($"| ratio ours ÷ vipsthumbnail (goal ≥ 0.8) | {oursPerSecond / vipsPerSecond:0.00} |");
return;

int Option(string name, int fallback) =>
    Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], culture) : fallback;

static async Task<(double PerSecond, double P50, double P99, int Errors)> LoadAsync(HttpClient http, string path, int clients, TimeSpan duration)
{
    var latencies = new List<double>[clients];
    var errors = 0;
    var deadline = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
    {
        var mine = latencies[c] = [];
        while (deadline.Elapsed < duration)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode)
            {
                Interlocked.Increment(ref errors);
            }

            mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }));
    var all = latencies.SelectMany(l => l).Order().ToArray();
    double Percentile(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
    return (all.Length / deadline.Elapsed.TotalSeconds, Percentile(0.50), Percentile(0.99), errors);
}

static async Task ExecuteAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
    await command.ExecuteNonQueryAsync();
}

static async Task<List<string>> QueryAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await using var reader = await command.ExecuteReaderAsync();
    var lines = new List<string>();
    while (await reader.ReadAsync())
    {
        lines.Add(reader.GetString(0));
    }

    return lines;
}

// The parameters as SQL literals, so pgbench runs exactly the statement the service sends (last first: $10 before $1).
static string Inline(string sql, List<NpgsqlParameter> parameters)
{
    for (var i = parameters.Count; i >= 1; i--)
    {
        var value = parameters[i - 1].Value;
        var literal = value switch
        {
            string s when parameters[i - 1].NpgsqlDbType == NpgsqlTypes.NpgsqlDbType.Jsonb => $"'{s.Replace("'", "''")}'::jsonb",
            string s => $"'{s.Replace("'", "''")}'",
            long or int => Convert.ToString(value, CultureInfo.InvariantCulture)!,
            _ => throw new NotSupportedException(value?.GetType().Name),
        };
        sql = sql.Replace("$" + i.ToString(CultureInfo.InvariantCulture), literal, StringComparison.Ordinal);
    }

    return sql;
}

static async Task<string> PgbenchAsync(string connectionString, IEnumerable<string> arguments)
{
    var server = new NpgsqlConnectionStringBuilder(connectionString);
    var all = new[] { "-h", server.Host!, "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-U", server.Username! }.Concat(arguments).Append(server.Database!);
    return await RunAsync("/usr/lib/postgresql/15/bin/pgbench", all, new() { ["PGPASSWORD"] = server.Password });
}

static async Task<string> RunAsync(string program, IEnumerable<string> arguments, Dictionary<string, string?>? environment = null)
{
    var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in arguments)
    {
        start.ArgumentList.Add(a);
    }

    foreach (var (key, value) in environment ?? [])
    {
        start.Environment[key] = value;
    }

    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{program} failed ({process.ExitCode}): {await error}");
    }

    return await output + await error;
}

// Listings of every kind and category; a tenth of the tutoring ones teach calculus at university level.
static string SeedSql(int count) => $$"""
    INSERT INTO listings (id, owner_id, kind, category, title, description, price_amount, currency, price_unit, city, region, country,
                          attributes, status, rating_sum, rating_count, created_at, updated_at)
    SELECT gen_random_uuid(), ('00000000-0000-7000-8000-' || lpad(to_hex(i % 5000), 12, '0'))::uuid,
           (ARRAY['sale','sale','sale','rent','job','service','service','service'])[c + 1],
           (ARRAY['goods','electronics','books','housing','jobs','tutoring','housekeeping','senior-care'])[c + 1],
           initcap((ARRAY['bright','quiet','compact','reliable','friendly','modern','patient','vintage'])[1 + i % 8]) || ' ' ||
             (ARRAY['lamp','laptop','novel','room','shift','tutor','cleaner','carer'])[c + 1] || ' ' || i,
           'A ' || (ARRAY['great','solid','careful','flexible','experienced','local'])[1 + i % 6] || ' offer: ' ||
             (ARRAY['desk lamp with bulb','laptop with charger','paperback in good shape','room near campus','evening shifts at the cafe',
                    'sessions in ' || (ARRAY['calculus','algebra','chemistry','physics','history'])[1 + i % 5] || ' for students',
                    'weekly home cleaning','companionship and errands'])[c + 1],
           500 + (i * 37) % 20000, 'USD', (ARRAY['item','item','item','month','hour','hour','hour','hour'])[c + 1],
           (ARRAY['Accra','Kumasi','Lagos','Nairobi','Kigali'])[1 + i % 5], NULL, 'GH',
           CASE c WHEN 3 THEN jsonb_build_object('bedrooms', i % 4)
                  WHEN 4 THEN jsonb_build_object('employment', (ARRAY['full-time','part-time','gig'])[1 + i % 3])
                  WHEN 5 THEN jsonb_build_object('level', (ARRAY['primary','secondary','university','adult'])[1 + (i / 8) % 4],
                                                 'subject', (ARRAY['calculus','algebra','chemistry','physics','history'])[1 + i % 5])
                  WHEN 6 THEN '{"tasks":["cleaning","laundry"]}'::jsonb
                  WHEN 7 THEN '{"companionship":true,"householdTasks":false,"mobility":true,"personalCare":false,"specializedCare":false,"transportation":true}'::jsonb
                  ELSE '{}'::jsonb END,
           'published', 0, 0, now() - make_interval(secs => i), now() - make_interval(secs => i)
    FROM generate_series(1, {{count}}) AS s(i), LATERAL (SELECT i % 8 AS c) k
    """;
