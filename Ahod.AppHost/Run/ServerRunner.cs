using Ahod.AppHost.Model;
using Ahod.AppHost.Observe;

namespace Ahod.AppHost.Run;

/// <summary>Shared life cycle of PostgreSQL, Redis and RabbitMQ: external (just check it answers) or a child process.</summary>
internal abstract class ServerRunner<T>(T server, RunContext context) : ResourceRunner(server, context) where T : ServerResource
{
    protected T Server { get; } = server;

    protected ChildProcess? Process { get; set; }

    public override string? Endpoint => Server.IsExternal ? "external" : $"tcp://{Server.Host}:{Server.Port}";

    public override void Allocate()
    {
        if (Server.IsExternal)
        {
            return;
        }

        Server.Port = Context.Options.UseFixedPorts && Server.Port is { } fixedPort ? fixedPort : Ports.GetFree();
        Server.Password = Context.Secrets.GetOrCreate($"{Server.Name}-password");
        AllocateMore();
    }

    protected virtual void AllocateMore()
    {
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Server.IsExternal)
        {
            SetState(ResourceState.Starting, "external");
            await WaitUntilAsync(IsHealthyAsync, null, TimeSpan.FromSeconds(30), $"External '{Server.Name}'", cancellationToken).ConfigureAwait(false);
            await AfterReadyAsync(cancellationToken).ConfigureAwait(false);
            SetState(ResourceState.External, "external");
            return;
        }

        Directory.CreateDirectory(Context.DataDirectory(Server.Name));
        Ports.EnsureFree(Server.Port!.Value, Server.Name);
        SetState(ResourceState.Starting);
        await StartProcessAsync(cancellationToken).ConfigureAwait(false);
        var process = Process!;
        SetState(ResourceState.Starting, pids: [process.Pid]);
        await WaitUntilAsync(IsHealthyAsync, process, ReadyTimeout, Server.Name, cancellationToken).ConfigureAwait(false);
        await AfterReadyAsync(cancellationToken).ConfigureAwait(false);
        SetState(ResourceState.Running, pids: [process.Pid]);
        SetChildren(ResourceState.Running, Observe.HealthStatus.Healthy);
        _ = WatchAsync(process);
    }

    protected virtual TimeSpan ReadyTimeout => TimeSpan.FromSeconds(30);

    protected abstract Task StartProcessAsync(CancellationToken cancellationToken);

    protected virtual Task AfterReadyAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The signal the server treats as a fast, clean shutdown.</summary>
    protected abstract int StopSignal { get; }

    public override async Task StopAsync()
    {
        var process = Process;
        if (process is null || Server.IsExternal)
        {
            return;
        }

        // Cleared first, so the watcher knows this exit is wanted and not a crash.
        Process = null;
        SetState(ResourceState.Stopping);
        await process.StopAsync(StopSignal, TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        await StopMoreAsync().ConfigureAwait(false);
        SetStopped();
        SetChildren(ResourceState.Stopped, Observe.HealthStatus.Unknown);
    }

    protected virtual Task StopMoreAsync() => Task.CompletedTask;

    /// <summary>Resources living inside this server (PostgreSQL's databases) follow its state in the table.</summary>
    private void SetChildren(ResourceState state, Observe.HealthStatus health)
    {
        if (Server is not PostgresServerResource postgres)
        {
            return;
        }

        foreach (var database in postgres.Databases)
        {
            Context.Notifications.Update(database.Name, s => s with { State = state, Health = health });
        }
    }

    /// <summary>A server that dies on its own is reported, not restarted: its data needs a human.</summary>
    private async Task WatchAsync(ChildProcess process)
    {
        var code = await process.Exited.ConfigureAwait(false);
        if (ReferenceEquals(Process, process))
        {
            Context.Log(Server.Name, $"exited unexpectedly with code {code}");
            SetState(ResourceState.Failed, $"exited with code {code}", []);
            SetChildren(ResourceState.Failed, Observe.HealthStatus.Unhealthy);
        }
    }
}
