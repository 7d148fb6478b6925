namespace Ahod.AppHost.Observe;

public enum ResourceState
{
    NotStarted,
    Waiting,
    Starting,
    Running,
    Restarting,
    Stopping,
    Stopped,
    Failed,
    External,
}

public enum HealthStatus
{
    Unknown,
    Healthy,
    Unhealthy,
}

/// <summary>What the live table shows for one resource; replaced (not mutated) on every change.</summary>
public sealed record ResourceSnapshot(
    string Name,
    string Type,
    ResourceState State,
    HealthStatus Health,
    IReadOnlyList<int> Pids,
    string? Endpoint,
    int Restarts,
    string? Detail);

/// <summary>The current snapshot of every resource and a signal on each change.</summary>
public sealed class ResourceNotifications
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceSnapshot> _snapshots = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];

    public event Action<ResourceSnapshot>? Changed;

    public void Register(string name, string type, string? endpoint)
    {
        lock (_gate)
        {
            _order.Add(name);
            _snapshots[name] = new ResourceSnapshot(name, type, ResourceState.NotStarted, HealthStatus.Unknown, [], endpoint, 0, null);
        }
    }

    public ResourceSnapshot Get(string name)
    {
        lock (_gate)
        {
            return _snapshots[name];
        }
    }

    public IReadOnlyList<ResourceSnapshot> All()
    {
        lock (_gate)
        {
            return _order.Select(n => _snapshots[n]).ToList();
        }
    }

    public void Update(string name, Func<ResourceSnapshot, ResourceSnapshot> change)
    {
        ResourceSnapshot updated;
        lock (_gate)
        {
            if (!_snapshots.TryGetValue(name, out var current))
            {
                return; // not part of this app model (removed before build)
            }

            updated = change(current);
            if (updated == current)
            {
                return;
            }

            _snapshots[name] = updated;
        }

        Changed?.Invoke(updated);
    }
}
