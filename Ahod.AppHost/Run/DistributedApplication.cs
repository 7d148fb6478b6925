using System.Diagnostics;
using System.Runtime.InteropServices;
using Ahod.AppHost.Model;
using Ahod.AppHost.Observe;

namespace Ahod.AppHost.Run;

/// <summary>
/// Runs an app model: allocates ports and passwords, starts every resource as soon as what it waits for is
/// healthy (independent ones in parallel), watches health, and stops projects first, then servers.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly DistributedApplicationBuilder _builder;
    private readonly RunContext _context;
    private readonly Dictionary<string, ResourceRunner> _runners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _ready = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _lifetime = new();
    private ConsoleDashboard? _dashboard;
    private Task? _healthLoop;
    private int _stopped;

    internal DistributedApplication(DistributedApplicationBuilder builder)
    {
        _builder = builder;
        var options = builder.Options;
        Directory.CreateDirectory(options.StateDirectory);
        var logs = new ResourceLogs(Path.Combine(options.StateDirectory, "logs"), options.ConsoleOutput);
        _context = new RunContext(options, new Secrets(options.StateDirectory), logs, new ResourceNotifications(), new Reaper());
        foreach (var resource in builder.Resources)
        {
            ResourceRunner? runner = resource switch
            {
                PostgresServerResource pg => new PostgresRunner(pg, _context),
                RedisResource redis => new RedisRunner(redis, _context),
                RabbitMqResource rabbit => new RabbitMqRunner(rabbit, _context),
                ProjectResource project => new ProjectRunner(project, _context, GetConnectionString),
                _ => null, // databases live inside their server
            };
            if (runner is not null)
            {
                _runners[resource.Name] = runner;
            }
        }
    }

    public ResourceNotifications Notifications => _context.Notifications;

    public ResourceLogs Logs => _context.Logs;

    public IReadOnlyList<Resource> Resources => _builder.Resources;

    /// <summary>Time from <see cref="StartAsync"/> to every resource healthy.</summary>
    public TimeSpan? StartupTime { get; private set; }

    public string GetConnectionString(string name) =>
        _builder.Resources.FirstOrDefault(r => r.Name == name) is IResourceWithConnectionString r
            ? r.GetConnectionString()
            : throw new InvalidOperationException($"'{name}' is not a resource with a connection string.");

    public Uri GetEndpoint(string name) =>
        _builder.Resources.FirstOrDefault(r => r.Name == name) is IResourceWithEndpoints { HttpEndpoint: { } uri }
            ? uri
            : throw new InvalidOperationException($"'{name}' is not a project with an HTTP endpoint (or is not allocated yet).");

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        foreach (var runner in _runners.Values)
        {
            runner.Allocate();
        }

        foreach (var resource in _builder.Resources)
        {
            var endpoint = _runners.TryGetValue(resource.Name, out var r) ? r.Endpoint : $"in {resource.Parent?.Name}";
            _context.Notifications.Register(resource.Name, _runners.TryGetValue(resource.Name, out var rr) ? rr.Type : "database", endpoint);
        }

        if (_builder.Options.ConsoleOutput)
        {
            _dashboard = new ConsoleDashboard(_context.Notifications, _context.Logs);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        foreach (var resource in TopologicalOrder())
        {
            _ready[resource.Name] = StartWhenReadyAsync(resource, linked.Token);
        }

        try
        {
            await Task.WhenAll(_ready.Values).ConfigureAwait(false);
        }
        catch
        {
            await StopAsync().ConfigureAwait(false);
            throw FirstFailure();
        }

        StartupTime = clock.Elapsed;
        _healthLoop = WatchHealthAsync(_lifetime.Token);
        _dashboard?.Flush();
    }

    private Exception FirstFailure()
    {
        var failures = _ready.Values.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
        return failures.OfType<AppHostException>().FirstOrDefault<Exception>() ?? failures.FirstOrDefault() ?? new OperationCanceledException();
    }

    private async Task StartWhenReadyAsync(Resource resource, CancellationToken ct)
    {
        var dependencies = resource.WaitsFor.Append(resource.Parent).OfType<Resource>().Select(d => _ready[d.Name]).ToList();
        if (dependencies.Count > 0)
        {
            _context.Notifications.Update(resource.Name, s => s with { State = ResourceState.Waiting, Detail = "waiting for " + string.Join(", ", resource.WaitsFor.Select(d => d.Name)) });
            try
            {
                await Task.WhenAll(dependencies).ConfigureAwait(false);
            }
            catch
            {
                _context.Notifications.Update(resource.Name, s => s with { State = ResourceState.NotStarted, Detail = "a dependency failed" });
                throw new OperationCanceledException($"'{resource.Name}' not started: a dependency failed.");
            }
        }

        if (!_runners.TryGetValue(resource.Name, out var runner))
        {
            // A database: created by its server once the server is up.
            _context.Notifications.Update(resource.Name, s => s with { State = ResourceState.Running, Health = HealthStatus.Healthy, Detail = null });
            return;
        }

        try
        {
            await runner.StartAsync(ct).ConfigureAwait(false);
            runner.SetHealth(HealthStatus.Healthy);
        }
        catch (Exception e)
        {
            _context.Log(resource.Name, e is AppHostException ? e.Message : e.ToString());
            _context.Notifications.Update(resource.Name, s => s with { State = ResourceState.Failed, Detail = e.Message });
            throw;
        }
    }

    private List<Resource> TopologicalOrder()
    {
        var ordered = new List<Resource>();
        var visiting = new HashSet<string>();
        var done = new HashSet<string>();
        void Visit(Resource r)
        {
            if (done.Contains(r.Name))
            {
                return;
            }

            if (!visiting.Add(r.Name))
            {
                throw new AppHostException($"The app model has a WaitFor cycle through '{r.Name}'.");
            }

            foreach (var d in r.WaitsFor.Append(r.Parent).OfType<Resource>())
            {
                if (!_builder.Resources.Contains(d))
                {
                    throw new AppHostException($"'{r.Name}' waits for '{d.Name}', which is not in the app model.");
                }

                Visit(d);
            }

            done.Add(r.Name);
            ordered.Add(r);
        }

        foreach (var r in _builder.Resources)
        {
            Visit(r);
        }

        return ordered;
    }

    private async Task WatchHealthAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5));
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                foreach (var runner in _runners.Values)
                {
                    var state = _context.Notifications.Get(runner.Resource.Name).State;
                    if (state is not (ResourceState.Running or ResourceState.External))
                    {
                        continue;
                    }

                    runner.SetHealth(await CheckAsync(runner, ct).ConfigureAwait(false) ? HealthStatus.Healthy : HealthStatus.Unhealthy);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<bool> CheckAsync(ResourceRunner runner, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(4));
            return await runner.IsHealthyAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Waits until the resource answers its health check (after a restart, say).</summary>
    public async Task WaitForHealthyAsync(string name, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var runner = Runner(name);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        while (!await CheckAsync(runner, cts.Token).ConfigureAwait(false))
        {
            try
            {
                await Task.Delay(100, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"'{name}' was not healthy within {timeout.TotalSeconds:0} s.");
            }
        }

        runner.SetHealth(HealthStatus.Healthy);
    }

    public Task<bool> IsHealthyAsync(string name, CancellationToken cancellationToken = default) => CheckAsync(Runner(name), cancellationToken);

    /// <summary>Stops one resource (gracefully); its ports and data stay for <see cref="StartResourceAsync"/>.</summary>
    public Task StopResourceAsync(string name) => Runner(name).StopAsync();

    /// <summary>Starts a stopped resource again on the same port and data, and waits until it is ready.</summary>
    public async Task StartResourceAsync(string name, CancellationToken cancellationToken = default)
    {
        var runner = Runner(name);
        await runner.StartAsync(cancellationToken).ConfigureAwait(false);
        runner.SetHealth(HealthStatus.Healthy);
    }

    /// <summary>SIGKILLs a project's replica, as a crash would; the restart policy brings it back. Returns its pid.</summary>
    public int KillProjectReplica(string name, int replica = 0) =>
        Runner(name) is ProjectRunner project ? project.KillReplica(replica) : throw new InvalidOperationException($"'{name}' is not a project.");

    private ResourceRunner Runner(string name) =>
        _runners.TryGetValue(name, out var runner) ? runner : throw new InvalidOperationException($"No runnable resource named '{name}'.");

    /// <summary>Stops projects first (they hold connections), then the servers; each group in parallel.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        var projects = _runners.Values.Where(r => r is ProjectRunner).ToList();
        await Task.WhenAll(projects.Select(SafeStopAsync)).ConfigureAwait(false);
        await Task.WhenAll(_runners.Values.Except(projects).Select(SafeStopAsync)).ConfigureAwait(false);
        if (_healthLoop is not null)
        {
            await _healthLoop.ConfigureAwait(false);
        }

        _dashboard?.Flush();
        _dashboard?.Dispose();
        _context.Reaper.Dispose();
    }

    private async Task SafeStopAsync(ResourceRunner runner)
    {
        try
        {
            await runner.StopAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _context.Log(runner.Resource.Name, $"stop failed: {e.Message}");
        }
    }

    /// <summary>Starts everything, prints the time to healthy, and runs until Ctrl+C or SIGTERM.</summary>
    public async Task RunAsync()
    {
        using var shutdown = new CancellationTokenSource();
        void OnSignal(PosixSignalContext c)
        {
            c.Cancel = true;
            shutdown.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigquit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal);
        try
        {
            await StartAsync(shutdown.Token).ConfigureAwait(false);
            Console.WriteLine($"All resources healthy in {StartupTime!.Value.TotalSeconds:0.00} s. Ctrl+C stops everything.");
            await Task.Delay(Timeout.Infinite, shutdown.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
        }
        finally
        {
            Console.WriteLine("Stopping: projects first, then servers...");
            await StopAsync().ConfigureAwait(false);
            Console.WriteLine("Stopped.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _context.Logs.Dispose();
        _lifetime.Dispose();
    }
}
