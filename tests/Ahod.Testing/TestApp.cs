using System.Diagnostics;
using Ahod.Hosting;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Ahod.Testing;

/// <summary>
/// The app model on Aspire.Hosting.Testing for tests and benchmarks: random free ports, a throwaway state folder
/// (data of PostgreSQL, Redis, RabbitMQ, mail, keys), the dashboard off; started and waited on until every resource
/// is healthy, with connection strings, HTTP clients and stop/start/kill of a resource.
/// </summary>
public sealed class TestApp : IAsyncDisposable
{
    /// <summary>Generous: the whole suite runs on two shared cores, and a fixture may start beside others.</summary>
    /// <remarks><c>AHOD_TEST_START_TIMEOUT_SECONDS</c> lengthens it on a machine busier still.</remarks>
    public static readonly TimeSpan StartTimeout =
        int.TryParse(Environment.GetEnvironmentVariable("AHOD_TEST_START_TIMEOUT_SECONDS"), out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromMinutes(4);

    private TestApp(DistributedApplication app, string stateDirectory, TimeSpan startupTime)
    {
        App = app;
        StateDirectory = stateDirectory;
        StartupTime = startupTime;
    }

    public DistributedApplication App { get; }

    public string StateDirectory { get; }

    /// <summary>From build to every resource healthy.</summary>
    public TimeSpan StartupTime { get; }

    /// <summary>
    /// The Ahod app model of <c>Ahod.AppHost</c>, or only the <paramref name="only"/> resources and what they need
    /// (see <see cref="AppModelExtensions.KeepOnly"/>); <paramref name="configure"/> adjusts it before it starts.
    /// </summary>
    public static async Task<TestApp> StartAhodAsync(
        string[] only, Action<TestAppBuilder>? configure = null, CancellationToken cancellationToken = default)
    {
        var state = NewStateDirectory();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Ahod_AppHost>(
            Arguments(state), ConfigureOptions, cancellationToken).ConfigureAwait(false);
        if (only.Length > 0)
        {
            builder.KeepOnly(only);
        }

        foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
        {
            // Many short-lived services on a few shared cores: workstation GC (one heap, no GC thread per core) and
            // no tiered PGO (no instrumented re-JIT of code a test process barely runs) cost less CPU.
            builder.CreateResourceBuilder(project).WithEnvironment("DOTNET_gcServer", "0").WithEnvironment("DOTNET_TieredPGO", "0");

            // The dashboard is off, so no one receives telemetry: without this, every service would export traces,
            // metrics and logs each second to Aspire's default OTLP address (localhost:18889), failing and retrying in
            // memory (a third of two cores for an idle four-service app), or landing in the dashboard of an AppHost the
            // developer has running. The rest of Aspire's OTEL_* contract (service name, instance id) stays.
            builder.CreateResourceBuilder(project).WithEnvironment(context => context.EnvironmentVariables.Remove("OTEL_EXPORTER_OTLP_ENDPOINT"));
            if (project.Name == Ahod.ServiceDefaults.ResourceNames.Identity)
            {
                // Every test user signs up and in: 1,000 PBKDF2 iterations instead of production's 100,000 (51 ms of
                // CPU per hash here) keep the suite's CPU for the services under test.
                builder.CreateResourceBuilder(project).WithEnvironment("Identity__PasswordHasher__IterationCount", "1000");
            }
        }

        configure?.Invoke(new TestAppBuilder(builder, state));
        return await StartAsync(builder, state, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<TestApp> StartAsync(IDistributedApplicationTestingBuilder builder, string state, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var app = await builder.BuildAsync(cancellationToken).ConfigureAwait(false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        try
        {
            await app.StartAsync(timeout.Token).ConfigureAwait(false);
            foreach (var resource in model.Resources.Where(r => r is not ParameterResource and not ConnectionStringResource && !IsHidden(notifications, r)))
            {
                await notifications.WaitForResourceHealthyAsync(resource.Name, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            var report = Report(app, model, notifications);
            await DisposeQuietlyAsync(app).ConfigureAwait(false);
            TryDelete(state);
            var why = e is OperationCanceledException && !cancellationToken.IsCancellationRequested
                ? $"not every resource was healthy within {StartTimeout.TotalSeconds:0} s"
                : e.Message;
            throw new InvalidOperationException($"The test app did not start: {why}.{Environment.NewLine}{report}", e);
        }

        return new TestApp(app, state, started.Elapsed);
    }

    private static string[] Arguments(string state) =>
    [
        "DcpPublisher:RandomizePorts=true",
        $"Ahod:StateDirectory={state}",
        "Ahod:Ephemeral=true",
    ];

    private static void ConfigureOptions(DistributedApplicationOptions options, Microsoft.Extensions.Hosting.HostApplicationBuilderSettings settings)
    {
        options.DisableDashboard = true;
        options.AllowUnsecuredTransport = true;
    }

    private static bool IsHidden(ResourceNotificationService notifications, IResource resource) =>
        notifications.TryGetCurrentState(resource.Name, out var e) && e.Snapshot.IsHidden;

    /// <summary>Each resource that is not running and healthy, with its state and last log lines.</summary>
    private static string Report(DistributedApplication app, DistributedApplicationModel model, ResourceNotificationService notifications)
    {
        var tail = app.Services.GetService<ResourceLogTail>();
        var lines = new List<string>();
        var watch = app.Services.GetRequiredService<ResourceWatch>();
        foreach (var resource in model.Resources.Where(r => r is not ParameterResource))
        {
            foreach (var e in watch.Instances(resource))
            {
                var instance = e.ResourceId;
                if (e.Snapshot.IsHidden)
                {
                    continue;
                }

                var state = $"{e.Snapshot.State?.Text ?? "unknown"} / {e.Snapshot.HealthStatus?.ToString() ?? "no health"}";
                if (state == "Running / Healthy")
                {
                    continue;
                }

                lines.Add($"{instance}: {state}, exit code {e.Snapshot.ExitCode?.ToString() ?? "none"}");
                lines.AddRange((tail?.Tail(e.ResourceId) ?? []).TakeLast(15).Select(l => $"  {instance} | {l}"));
            }
        }

        return string.Join(Environment.NewLine, lines);
    }

    private static string NewStateDirectory()
    {
        var root = Path.Combine(Path.GetTempPath(), "ahod-tests");
        var state = Path.Combine(root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(state);
        // PostgreSQL runs as its own OS user when we are root: it must be able to reach its data folder.
        var open = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead |
                   UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;
        File.SetUnixFileMode(root, open | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite | UnixFileMode.StickyBit);
        File.SetUnixFileMode(state, open);
        return state;
    }

    public string GetConnectionString(string name) =>
        App.GetConnectionStringAsync(name).AsTask().GetAwaiter().GetResult()
        ?? throw new InvalidOperationException($"'{name}' has no connection string.");

    public Uri GetEndpoint(string name) => App.GetEndpoint(name, "http");

    /// <summary>Creates a database on the <c>postgres</c> server (for tests of a library that owns no database of the model).</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken = default)
    {
        var server = new Npgsql.NpgsqlConnectionStringBuilder(GetConnectionString("postgres")) { Database = "postgres", Pooling = false };
        await using (var connection = new Npgsql.NpgsqlConnection(server.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var create = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        server.Database = name;
        server.Pooling = true;
        return server.ConnectionString;
    }

    /// <summary>An HttpClient whose base address is the project's http endpoint (no retries: tests see what a client sees).</summary>
    public HttpClient CreateHttpClient(string resourceName) =>
        new() { BaseAddress = GetEndpoint(resourceName), Timeout = TimeSpan.FromSeconds(30) };

    public Task StopResourceAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync(name, KnownResourceCommands.StopCommand, cancellationToken);

    /// <summary>
    /// Stops every instance of a project the way an orchestrator does: SIGTERM to the service process, a graceful
    /// shutdown, then waits until Aspire reports each instance exited (a stop, not a crash: no restart). Returns how long
    /// the slowest instance took. <see cref="StartAndWaitForHealthyAsync"/> brings it back.
    /// </summary>
    public async Task<TimeSpan> TerminateAsync(string name, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.StartNew();
        var processes = ServiceProcesses(name).ToList();
        foreach (var process in processes)
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var process in processes)
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }

        var elapsed = started.Elapsed;
        var watch = App.Services.GetRequiredService<ResourceWatch>();
        while (watch.Instances(Resource(name)).Any(e => e.Snapshot.State?.Text != KnownResourceStates.Exited && e.Snapshot.State?.Text != KnownResourceStates.Finished))
        {
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        return elapsed;
    }

    public Task StartResourceAsync(string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync(name, KnownResourceCommands.StartCommand, cancellationToken);

    /// <summary>
    /// Starts every instance of a stopped resource (<see cref="TerminateAsync"/>, <see cref="StopResourceAsync"/>) and waits
    /// until each runs under a new process and is healthy. Aspire's own wait by name gives up as soon as one replica still
    /// shows the state of the stop (<c>Exited</c>) while the other one is starting, so this watches the instances themselves.
    /// </summary>
    public async Task StartAndWaitForHealthyAsync(string name, CancellationToken cancellationToken = default)
    {
        var stopped = App.Services.GetRequiredService<ResourceWatch>().Instances(Resource(name)).Select(DcpPid).OfType<int>().ToHashSet();
        await StartResourceAsync(name, cancellationToken).ConfigureAwait(false);
        await WaitForNewHealthyInstancesAsync(name, stopped, "started", cancellationToken).ConfigureAwait(false);
    }

    private async Task ExecuteAsync(string name, string command, CancellationToken cancellationToken)
    {
        var commands = App.Services.GetRequiredService<ResourceCommandService>();
        foreach (var instance in Instances(name))
        {
            var result = await commands.ExecuteCommandAsync(instance, command, cancellationToken).ConfigureAwait(false);
            if (!result.Success)
            {
                throw new InvalidOperationException($"{command} on '{instance}' failed: {result.Message}");
            }
        }
    }

    /// <summary>
    /// Kills every instance of the resource (<c>kill -9</c> of the service process) and waits until each has come back under
    /// a new process and is healthy again (<see cref="RestartOnCrashAnnotation"/>); answers how long that took. Waiting on
    /// health alone is not enough: just after the kill, the resource still reports the health of the process that died.
    /// </summary>
    public async Task<TimeSpan> KillAndWaitForRestartAsync(string name, CancellationToken cancellationToken = default)
    {
        var watch = App.Services.GetRequiredService<ResourceWatch>();
        var killed = watch.Instances(Resource(name)).Select(DcpPid).OfType<int>().ToHashSet();
        foreach (var process in ServiceProcesses(name))
        {
            process.Kill();
        }

        var clock = Stopwatch.StartNew();
        await WaitForNewHealthyInstancesAsync(name, killed, "restarted", cancellationToken).ConfigureAwait(false);
        return clock.Elapsed;
    }

    private Task WaitForNewHealthyInstancesAsync(string name, HashSet<int> oldPids, string what, CancellationToken cancellationToken)
    {
        var watch = App.Services.GetRequiredService<ResourceWatch>();
        return Eventually.EventuallyAsync(
            () => Task.FromResult(watch.Instances(Resource(name)) is { Count: > 0 } instances && instances.All(e =>
                e.Snapshot.State?.Text == KnownResourceStates.Running &&
                e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy &&
                DcpPid(e) is { } pid && !oldPids.Contains(pid))),
            StartTimeout,
            () => $"{name} {what} under a new process and healthy (old processes {string.Join(", ", oldPids)}; now " +
                string.Join(", ", watch.Instances(Resource(name)).Select(e => $"{e.ResourceId} {e.Snapshot.State?.Text} {e.Snapshot.HealthStatus} pid {DcpPid(e)}")) +
                $"). Last log lines:{Environment.NewLine}{Logs(name)}",
            cancellationToken);
    }

    /// <summary>
    /// CPU time (user + system) the resource's processes have used so far: the cost of work, unlike wall-clock time, does
    /// not grow when the machine is busy with other things.
    /// </summary>
    public TimeSpan ProcessorTime(string name) =>
        ServiceProcesses(name).Aggregate(TimeSpan.Zero, (sum, process) => sum + process.TotalProcessorTime);

    /// <summary>Each instance's process: DCP starts a project's built executable itself (no <c>dotnet run</c> between).</summary>
    private IEnumerable<Process> ServiceProcesses(string name)
    {
        foreach (var e in App.Services.GetRequiredService<ResourceWatch>().Instances(Resource(name)))
        {
            if (DcpPid(e) is { } pid)
            {
                yield return Process.GetProcessById(pid);
            }
        }
    }

    private static int? DcpPid(ResourceEvent e) =>
        e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value && int.TryParse(value.ToString(), out var pid) ? pid : null;

    /// <summary>The resource's recent log lines (for assertion messages).</summary>
    public string Logs(string name)
    {
        var tail = App.Services.GetRequiredService<ResourceLogTail>();
        return string.Join(Environment.NewLine, Instances(name).SelectMany(tail.Tail));
    }

    /// <summary>The DCP names of the resource's instances (replicas), e.g. <c>payments-abcdefgh</c>.</summary>
    public IReadOnlyList<string> Instances(string name) =>
        [.. App.Services.GetRequiredService<ResourceWatch>().Instances(Resource(name)).Select(e => e.ResourceId)];

    /// <summary>
    /// The http address of each instance (replica) itself, behind the one proxied endpoint <see cref="GetEndpoint"/> gives:
    /// for a test that must reach a given replica (e.g. clients of a SignalR backplane on different replicas).
    /// </summary>
    public IReadOnlyList<Uri> InstanceEndpoints(string name) =>
        [.. App.Services.GetRequiredService<ResourceWatch>().Instances(Resource(name)).Select(e =>
            e.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "ASPNETCORE_URLS")?.Value is { Length: > 0 } urls
                ? new Uri(urls.Split(';')[0].Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal))
                : throw new InvalidOperationException($"{e.ResourceId} shows no ASPNETCORE_URLS (urls: {string.Join(", ", e.Snapshot.Urls.Select(u => u.Url))})."))];

    private IResource Resource(string name) =>
        App.Services.GetRequiredService<DistributedApplicationModel>().Resources.SingleOrDefault(r => r.Name == name)
        ?? throw new ArgumentException($"No resource '{name}' in the app model.", nameof(name));

    public async ValueTask DisposeAsync()
    {
        CpuReport.Write(App, StartupTime);
        await DisposeQuietlyAsync(App).ConfigureAwait(false);
        TryDelete(StateDirectory);
    }

    private static async Task DisposeQuietlyAsync(DistributedApplication app)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
        }

        await app.DisposeAsync().ConfigureAwait(false);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>The builder a test adjusts before its app starts: resources by name, environment, the state folder.</summary>
public sealed class TestAppBuilder(IDistributedApplicationTestingBuilder builder, string stateDirectory)
{
    public IDistributedApplicationTestingBuilder Builder { get; } = builder;

    public string StateDirectory { get; } = stateDirectory;

    public IResourceBuilder<ProjectResource> Project(string name) =>
        Builder.CreateResourceBuilder(Builder.Resources.OfType<ProjectResource>().SingleOrDefault(p => p.Name == name)
                                      ?? throw new InvalidOperationException($"No project named '{name}' in the app model."));

    /// <summary>One of our test services (<c>tests/{project}</c>), started from its build output like any project.</summary>
    public IResourceBuilder<ProjectResource> AddTestProject(string name, string project) =>
        Builder.AddProject(name, Path.Combine(RepoRoot.Path, "tests", project, project + ".csproj")).WithHttpEndpoint();
}

internal static class RepoRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Ahod.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Ahod.sln not found above " + AppContext.BaseDirectory);
    }
}

internal static class ProcessTree
{
    /// <summary>The process's descendants, parents before children (from /proc).</summary>
    public static List<int> Descendants(int pid)
    {
        var children = new List<int>();
        var pending = new Queue<int>([pid]);
        while (pending.TryDequeue(out var parent))
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(System.IO.Path.GetFileName(dir), out var candidate) && ParentOf(candidate) == parent)
                {
                    children.Add(candidate);
                    pending.Enqueue(candidate);
                }
            }
        }

        return children;
    }

    /// <summary>
    /// CPU seconds (user + system) of the process and its live descendants, each with the children it has reaped
    /// (PostgreSQL's finished backends, for instance): a reaped child's time is in exactly one parent's cutime.
    /// </summary>
    public static double CpuSeconds(int pid) => new[] { pid }.Concat(Descendants(pid)).Sum(OwnAndReapedSeconds);

    private static double OwnAndReapedSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // Fields 14-17 of proc(5): utime, stime, cutime, cstime, in clock ticks (100 per second on Linux).
            return fields[11..15].Sum(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)) / 100.0;
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return -1;
        }
    }
}

/// <summary>
/// What each resource of a test app cost in CPU, written beside the test results when the app stops, so that
/// <c>eng/test.sh</c> can say where the suite's time goes (one line per resource instance: test assembly,
/// resource, CPU seconds, the app's start time in seconds).
/// </summary>
internal static class CpuReport
{
    public static void Write(DistributedApplication app, TimeSpan startupTime)
    {
        try
        {
            var assembly = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "unknown";
            var lines = new List<string>();
            foreach (var resource in app.Services.GetRequiredService<DistributedApplicationModel>().Resources)
            {
                foreach (var e in app.Services.GetRequiredService<ResourceWatch>().Instances(resource))
                {
                    if (e.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } value &&
                        int.TryParse(value.ToString(), out var pid))
                    {
                        lines.Add(FormattableString.Invariant($"{assembly}\t{resource.Name}\t{ProcessTree.CpuSeconds(pid):0.0}\t{startupTime.TotalSeconds:0.0}"));
                    }
                }
            }

            lines.Add(FormattableString.Invariant($"{assembly}\ttest process\t{Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.0}\t{startupTime.TotalSeconds:0.0}"));
            var folder = Path.Combine(RepoRoot.Path, ".ahod", "test-results");
            Directory.CreateDirectory(folder);
            File.AppendAllLines(Path.Combine(folder, "cpu.tsv"), lines);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // A report, not a test: never fail a run over it.
        }
    }
}
