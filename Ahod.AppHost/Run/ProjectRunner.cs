using System.Globalization;
using System.Reflection;
using Ahod.AppHost.Model;
using Ahod.AppHost.Observe;

namespace Ahod.AppHost.Run;

/// <summary>
/// Runs a project's build output (<c>dotnet bin/{Configuration}/net10.0/X.dll</c>) with Aspire's environment
/// contract, one process per replica behind a round-robin TCP proxy, restarted with backoff when it dies.
/// </summary>
internal sealed class ProjectRunner(ProjectResource project, RunContext context, Func<string, string> connectionStringOf)
    : ResourceRunner(project, context)
{
    private static readonly string Configuration =
        typeof(ProjectRunner).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private readonly Replica[] _replicas = Enumerable.Range(0, project.Replicas).Select(i => new Replica(i)).ToArray();
    private readonly CancellationTokenSource _stopping = new();
    private TcpProxy? _proxy;
    private int _restarts;

    public override string Type => "project";

    public override string? Endpoint => project.HttpEndpoint?.ToString();

    /// <summary>The dll that <c>dotnet build</c> of the AppHost (which references the project) produced.</summary>
    public string AssemblyPath =>
        Path.Combine(project.ProjectDirectory, "bin", Configuration, "net10.0", project.ProjectName + ".dll");

    public override void Allocate()
    {
        var port = Context.Options.UseFixedPorts && project.Port is { } p ? p : Ports.GetFree();
        project.HttpEndpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        foreach (var replica in _replicas)
        {
            replica.Port = _replicas.Length == 1 ? port : Ports.GetFree();
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(AssemblyPath))
        {
            throw new AppHostException($"'{project.Name}': {AssemblyPath} not found; build first (dotnet build Ahod.AppHost).");
        }

        foreach (var replica in _replicas)
        {
            Ports.EnsureFree(replica.Port, project.Name);
        }

        if (_replicas.Length > 1)
        {
            Ports.EnsureFree(project.HttpEndpoint!.Port, project.Name);
            _proxy = TcpProxy.Start(project.HttpEndpoint.Port, _replicas.Select(r => r.Port).ToArray());
        }

        SetState(ResourceState.Starting);
        await Task.WhenAll(_replicas.Select(r => StartReplicaAsync(r, cancellationToken))).ConfigureAwait(false);
        SetState(ResourceState.Running, pids: Pids());
    }

    private async Task StartReplicaAsync(Replica replica, CancellationToken ct)
    {
        replica.Process = ChildProcess.Start(BuildSpec(replica), project.Name, Context.Logs, Context.Reaper);
        var process = replica.Process;
        await WaitUntilAsync(c => IsReplicaReadyAsync(replica, c), process, TimeSpan.FromSeconds(60), $"'{project.Name}'", ct).ConfigureAwait(false);
        _ = SuperviseAsync(replica, process);
    }

    /// <summary>The environment contract of PRODUCT.md, exactly as Aspire sets it.</summary>
    internal ChildProcessSpec BuildSpec(Replica replica)
    {
        var port = replica.Port.ToString(CultureInfo.InvariantCulture);
        Dictionary<string, string?> env = new()
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = Context.Options.EnvironmentName,
            ["DOTNET_ENVIRONMENT"] = Context.Options.EnvironmentName,
            ["OTEL_SERVICE_NAME"] = project.Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={project.Name}-{replica.Index.ToString(CultureInfo.InvariantCulture)}",
            // Service-to-service key for /internal/* endpoints (see ServiceDefaults' InternalApi).
            ["InternalApi__Key"] = Context.Secrets.GetOrCreate("internal-api-key"),
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["Logging__Console__FormatterOptions__TimestampFormat"] = null,
        };
        if (Context.Options.OtlpEndpoint is { } otlp)
        {
            env["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
        }

        foreach (var reference in project.ConnectionReferences)
        {
            env[$"ConnectionStrings__{reference.Name}"] = connectionStringOf(reference.Name);
        }

        foreach (var service in project.ServiceReferences)
        {
            env[$"services__{service.Name}__http__0"] = service.HttpEndpoint!.ToString().TrimEnd('/');
        }

        foreach (var (key, value) in project.Environment)
        {
            env[key] = value;
        }

        return new ChildProcessSpec("/usr/bin/env", ["dotnet", AssemblyPath], Path.GetDirectoryName(AssemblyPath)!) { Environment = env };
    }

    private async Task<bool> IsReplicaReadyAsync(Replica replica, CancellationToken ct)
    {
        if (project.HealthCheckPath is null)
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync("127.0.0.1", replica.Port, ct).ConfigureAwait(false);
            return true;
        }

        using var response = await Http.GetAsync(new Uri($"http://127.0.0.1:{replica.Port.ToString(CultureInfo.InvariantCulture)}{project.HealthCheckPath}"), ct).ConfigureAwait(false);
        return response.IsSuccessStatusCode;
    }

    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        foreach (var replica in _replicas)
        {
            if (replica.Process is not { HasExited: false } || !await IsReplicaReadyAsync(replica, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Restarts a replica that exits on its own, with exponential backoff (1 s .. 30 s) reset by a healthy minute.</summary>
    private async Task SuperviseAsync(Replica replica, ChildProcess process)
    {
        var backoff = TimeSpan.FromSeconds(1);
        var startedAt = DateTimeOffset.UtcNow;
        while (true)
        {
            var code = await process.Exited.ConfigureAwait(false);
            if (_stopping.IsCancellationRequested || !ReferenceEquals(replica.Process, process))
            {
                return;
            }

            if (DateTimeOffset.UtcNow - startedAt > TimeSpan.FromMinutes(1))
            {
                backoff = TimeSpan.FromSeconds(1);
            }

            var count = Interlocked.Increment(ref _restarts);
            Context.Log(project.Name, $"replica {replica.Index} (pid {process.Pid}) exited with code {code}; restart #{count} in {backoff.TotalSeconds:0} s");
            Context.Notifications.Update(project.Name, s => s with { State = ResourceState.Restarting, Restarts = count, Health = HealthStatus.Unhealthy });
            try
            {
                await Task.Delay(backoff, _stopping.Token).ConfigureAwait(false);
                replica.Process = process = ChildProcess.Start(BuildSpec(replica), project.Name, Context.Logs, Context.Reaper);
                startedAt = DateTimeOffset.UtcNow;
                await WaitUntilAsync(c => IsReplicaReadyAsync(replica, c), process, TimeSpan.FromSeconds(60), $"'{project.Name}'", _stopping.Token).ConfigureAwait(false);
                Context.Log(project.Name, $"replica {replica.Index} restarted (pid {process.Pid})");
                SetState(ResourceState.Running, pids: Pids());
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (AppHostException e)
            {
                Context.Log(project.Name, e.Message);
            }

            backoff = TimeSpan.FromSeconds(Math.Min(backoff.TotalSeconds * 2, 30));
        }
    }

    public override async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (Context.Notifications.Get(project.Name).State != ResourceState.Failed)
        {
            SetState(ResourceState.Stopping);
        }

        // ASP.NET Core drains requests on SIGTERM.
        await Task.WhenAll(_replicas.Where(r => r.Process is not null).Select(r => r.Process!.StopAsync(Native.SIGTERM, TimeSpan.FromSeconds(10)))).ConfigureAwait(false);
        _proxy?.Dispose();
        SetStopped();
    }

    /// <summary>Kills one replica as a crash would (tests of the restart policy use it).</summary>
    public int KillReplica(int index)
    {
        var process = _replicas[index].Process ?? throw new InvalidOperationException($"'{project.Name}' replica {index} is not running.");
        process.Kill();
        return process.Pid;
    }

    private List<int> Pids() => _replicas.Where(r => r.Process is { HasExited: false }).Select(r => r.Process!.Pid).ToList();

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    internal sealed class Replica(int index)
    {
        public int Index { get; } = index;

        public int Port { get; set; }

        public ChildProcess? Process { get; set; }
    }
}
