using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ahod.Hosting;

/// <summary>Marks a resource that is started again, with backoff, when it exits on its own with a failure.</summary>
public sealed class RestartOnCrashAnnotation(TimeSpan firstDelay, TimeSpan maxDelay) : IResourceAnnotation
{
    public TimeSpan FirstDelay { get; } = firstDelay;

    public TimeSpan MaxDelay { get; } = maxDelay;
}

public static class ResourceWatchExtensions
{
    /// <summary>
    /// DCP does not restart a process that crashes; this does: 1 s after the first crash, doubling up to 30 s while it
    /// keeps crashing, back to 1 s once it has run for a minute. A stop asked for (dashboard, Ctrl+C) is not a crash.
    /// </summary>
    public static IResourceBuilder<T> WithRestartOnCrash<T>(this IResourceBuilder<T> builder) where T : IResource
    {
        builder.ApplicationBuilder.AddResourceWatch();
        return builder.WithAnnotation(new RestartOnCrashAnnotation(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));
    }

    /// <summary>Console lines a person needs in run mode: "All resources healthy in N s", and a line (with the last
    /// log lines) when a resource fails; plus restarts of crashed resources and database state.</summary>
    public static IDistributedApplicationBuilder AddResourceWatch(this IDistributedApplicationBuilder builder)
    {
        if (!builder.Services.Any(d => d.ServiceType == typeof(ResourceWatch)))
        {
            builder.Services.AddSingleton<ResourceLogTail>();
            builder.Services.AddSingleton<ResourceWatch>();
            // Not a hosted service: Aspire's own hosted service blocks start-up until every resource is created,
            // and this must watch from the first moment.
            builder.Eventing.Subscribe<BeforeStartEvent>((e, _) =>
            {
                e.Services.GetRequiredService<ResourceWatch>().Start();
                return Task.CompletedTask;
            });
        }

        return builder;
    }
}

/// <summary>The last lines each resource logged, for failure reports (the console and the test harness).</summary>
public sealed class ResourceLogTail(ResourceLoggerService loggers)
{
    private const int Lines = 30;
    private readonly Dictionary<string, Queue<string>> _tails = new(StringComparer.Ordinal);
    private readonly HashSet<string> _watched = new(StringComparer.Ordinal);

    public void Watch(string resourceId, CancellationToken cancellationToken)
    {
        lock (_tails)
        {
            if (!_watched.Add(resourceId))
            {
                return;
            }
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var batch in loggers.WatchAsync(resourceId).WithCancellation(cancellationToken).ConfigureAwait(false))
                {
                    lock (_tails)
                    {
                        var tail = _tails.TryGetValue(resourceId, out var t) ? t : _tails[resourceId] = new Queue<string>();
                        foreach (var line in batch)
                        {
                            tail.Enqueue(line.Content);
                            while (tail.Count > Lines)
                            {
                                tail.Dequeue();
                            }
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
    }

    public IReadOnlyList<string> Tail(string resourceId)
    {
        lock (_tails)
        {
            return _tails.TryGetValue(resourceId, out var t) ? [.. t] : [];
        }
    }
}

public sealed class ResourceWatch(
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLogTail logs,
    DistributedApplicationExecutionContext execution,
    DistributedApplicationModel model,
    IHostApplicationLifetime lifetime,
    ILogger<ResourceWatch> logger) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _watch = Task.CompletedTask;

    private readonly long _started = Environment.TickCount64;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ResourceEvent> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Crashes, long LastStart)> _restarts = new(StringComparer.Ordinal);
    private bool _reportedHealthy;

    /// <summary>The latest event of each running instance (replica) of <paramref name="resource"/>.</summary>
    public IReadOnlyList<ResourceEvent> Instances(IResource resource) =>
        [.. _latest.Values.Where(e => e.Resource == resource).OrderBy(e => e.ResourceId, StringComparer.Ordinal)];

    public void Start()
    {
        if (execution.IsRunMode)
        {
            _watch = Task.Run(() => WatchAsync(_stopping.Token));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _watch.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task WatchAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var e in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                if (e.Resource is ParameterResource || e.Resource is ConnectionStringResource)
                {
                    continue;
                }

                logs.Watch(e.ResourceId, stoppingToken);
                _latest.TryGetValue(e.ResourceId, out var previous);
                _latest[e.ResourceId] = e;
                var state = e.Snapshot.State?.Text;
                var before = previous?.Snapshot.State?.Text;

                if (state != before || e.Snapshot.HealthStatus != previous?.Snapshot.HealthStatus)
                {
                    logger.LogDebug("{Seconds:0.0} s {Resource}: {Before} -> {State} ({Health})",
                        (Environment.TickCount64 - _started) / 1000.0, e.ResourceId, before, state, e.Snapshot.HealthStatus);
                }

                if (state == before)
                {
                    ReportWhenAllHealthy();
                    continue;
                }

                if (e.Resource is LocalPostgresResource server && state is not null && state != KnownResourceStates.Running)
                {
                    await FollowServerAsync(server, state).ConfigureAwait(false);
                }

                if (state == KnownResourceStates.Running)
                {
                    _restarts[e.ResourceId] = (_restarts.GetValueOrDefault(e.ResourceId).Crashes, Environment.TickCount64);
                }
                else if (IsFailure(e) && before is not null && !lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    var tail = string.Join(Environment.NewLine, logs.Tail(e.ResourceId).TakeLast(10).Select(l => $"  {e.ResourceId} | {l}"));
                    logger.LogError("Resource {Resource} {State} (exit code {ExitCode}); its last log lines:{NewLine}{Tail}",
                        e.ResourceId, state, e.Snapshot.ExitCode?.ToString() ?? "none", Environment.NewLine, tail);
                    if (e.Resource.TryGetLastAnnotation<RestartOnCrashAnnotation>(out var restart) && before == KnownResourceStates.Running)
                    {
                        ScheduleRestart(e.ResourceId, restart, stoppingToken);
                    }
                }

                ReportWhenAllHealthy();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    // A process that exits by itself with a failure. A stop asked for (dashboard, Ctrl+C: SIGTERM) ends with 0 or 143.
    private static bool IsFailure(ResourceEvent e) =>
        e.Snapshot.State?.Text == KnownResourceStates.FailedToStart ||
        ((e.Snapshot.State?.Text == KnownResourceStates.Exited || e.Snapshot.State?.Text == KnownResourceStates.Finished) &&
         e.Snapshot.ExitCode is int code && code is not 0 and not 143 and not 130);

    private void ScheduleRestart(string resourceId, RestartOnCrashAnnotation restart, CancellationToken stoppingToken)
    {
        var (crashes, lastStart) = _restarts.GetValueOrDefault(resourceId);
        if (Environment.TickCount64 - lastStart > 60_000)
        {
            crashes = 0;
        }

        var delay = TimeSpan.FromTicks(Math.Min(restart.MaxDelay.Ticks, restart.FirstDelay.Ticks << Math.Min(crashes, 16)));
        _restarts[resourceId] = (crashes + 1, lastStart);
        logger.LogWarning("Restarting {Resource} in {Delay} s (crash {Count})", resourceId, delay.TotalSeconds, crashes + 1);
        _ = Task.Run(async () =>
        {
            try
            {
                await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                if (!lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    var result = await commands.ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, stoppingToken).ConfigureAwait(false);
                    if (!result.Success)
                    {
                        logger.LogError("Restart of {Resource} failed: {Error}", resourceId, result.Message);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, CancellationToken.None);
    }

    // Aspire hands a parent's state to its children only for containers: a stopped server's databases stop with it.
    private async Task FollowServerAsync(LocalPostgresResource server, string state)
    {
        foreach (var database in _latest.Values.Select(v => v.Resource).OfType<LocalPostgresDatabaseResource>().Where(d => d.Parent == server).Distinct())
        {
            await notifications.PublishUpdateAsync(database, s => s with { State = state }).ConfigureAwait(false);
        }
    }

    private void ReportWhenAllHealthy()
    {
        if (_reportedHealthy || _latest.Count == 0)
        {
            return;
        }

        // Every resource of the model has shown up and is running and healthy (or has finished its one-shot work).
        var hidden = _latest.Values.Where(e => e.Snapshot.IsHidden).Select(e => e.Resource).ToHashSet();
        var shown = _latest.Values.Where(e => !e.Snapshot.IsHidden).ToList();
        var ready = model.Resources.Where(r => r is not ParameterResource and not ConnectionStringResource && !hidden.Contains(r)).All(r => shown.Any(e => e.Resource == r)) &&
                    shown.All(e =>
                        e.Snapshot.State?.Text == KnownResourceStates.Finished ||
                        (e.Snapshot.State?.Text == KnownResourceStates.Running && e.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy));
        if (ready)
        {
            _reportedHealthy = true;
            var seconds = (Environment.TickCount64 - _started) / 1000.0;
            // The public entry points a person opens next (WithExternalHttpEndpoints).
            var external = model.Resources.OfType<IResourceWithEndpoints>()
                .SelectMany(r => r.Annotations.OfType<EndpointAnnotation>().Where(e => e.IsExternal && e.AllocatedEndpoint is not null)
                    .Select(e => $"{r.Name} {e.AllocatedEndpoint!.UriString}"));
            logger.LogInformation("All resources healthy in {Seconds:0.0} s; {Endpoints}", seconds, string.Join(", ", external));
        }
    }
}
