using Ahod.AppHost.Model;
using Ahod.AppHost.Observe;

namespace Ahod.AppHost.Run;

/// <summary>What every runner shares: options, secrets, logs, state notifications and the reaper.</summary>
internal sealed record RunContext(
    AppHostOptions Options,
    Secrets Secrets,
    ResourceLogs Logs,
    ResourceNotifications Notifications,
    Reaper Reaper)
{
    public string DataDirectory(string resource) => Path.Combine(Options.StateDirectory, "data", resource);

    public void Log(string resource, string message) => Logs.Write(resource, $"[apphost] {message}");
}

/// <summary>Starts, checks and stops one resource. <see cref="StartAsync"/> returns once it is ready.</summary>
internal abstract class ResourceRunner(Resource resource, RunContext context)
{
    public Resource Resource { get; } = resource;

    protected RunContext Context { get; } = context;

    public abstract string Type { get; }

    /// <summary>Allocates ports and passwords, so connection strings are known before anything starts.</summary>
    public abstract void Allocate();

    public abstract string? Endpoint { get; }

    public abstract Task StartAsync(CancellationToken cancellationToken);

    public abstract Task StopAsync();

    public abstract Task<bool> IsHealthyAsync(CancellationToken cancellationToken);

    protected void SetState(ResourceState state, string? detail = null, IReadOnlyList<int>? pids = null) =>
        Context.Notifications.Update(Resource.Name, s => s with
        {
            State = state,
            Detail = detail,
            Pids = pids ?? s.Pids,
            Health = state is ResourceState.Running or ResourceState.External ? s.Health : HealthStatus.Unknown,
        });

    /// <summary>Marks the resource stopped, unless it failed: the table keeps showing why.</summary>
    protected void SetStopped() =>
        Context.Notifications.Update(Resource.Name, s => s.State == ResourceState.Failed
            ? s with { Pids = [] }
            : s with { State = ResourceState.Stopped, Pids = [], Health = HealthStatus.Unknown });

    public void SetHealth(HealthStatus health) =>
        Context.Notifications.Update(Resource.Name, s => s with { Health = health });

    /// <summary>Polls <paramref name="probe"/> until it succeeds, the process dies, or the timeout passes.</summary>
    protected static async Task WaitUntilAsync(Func<CancellationToken, Task<bool>> probe, ChildProcess? process, TimeSpan timeout, string what, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var delay = TimeSpan.FromMilliseconds(25);
        while (true)
        {
            if (process is { HasExited: true })
            {
                throw new AppHostException($"{what} exited with code {process.Exited.Result} before it was ready (see its log).");
            }

            try
            {
                if (await probe(deadline.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception) when (!deadline.IsCancellationRequested)
            {
                // Not up yet.
            }

            try
            {
                await Task.Delay(delay, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new AppHostException($"{what} was not ready within {timeout.TotalSeconds:0} s (see its log).");
            }

            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }
}
