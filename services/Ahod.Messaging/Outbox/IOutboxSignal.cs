using System.Collections.Concurrent;

namespace Ahod.Messaging.Outbox;

/// <summary>
/// Tells the relay which outbox rows this process has just committed, so it publishes them within milliseconds and
/// finds them by primary key. Rows of other processes, and any this signal did not carry, are found by the relay's
/// periodic sweep of the table.
/// </summary>
public interface IOutboxSignal
{
    /// <summary>The rows with these ids are committed.</summary>
    void Notify(IEnumerable<Guid> committedIds);

    /// <summary>Completes when notified or after <paramref name="timeout"/>.</summary>
    Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken);

    /// <summary>Up to <paramref name="max"/> ids notified and not taken yet, oldest first.</summary>
    IReadOnlyList<Guid> Take(int max);

    /// <summary>Whether notified ids are waiting to be taken.</summary>
    bool HasPending { get; }
}

internal sealed class OutboxSignal : IOutboxSignal, IDisposable
{
    /// <summary>
    /// Ids kept at most: beyond it (RabbitMQ down for a long while) more are dropped, and the sweep publishes those rows.
    /// </summary>
    internal const int MaxPending = 100_000;

    // At most one pending wake-up: many commits during one relay round need only one more round.
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private readonly ConcurrentQueue<Guid> _ids = new();
    private int _count;

    public bool HasPending => Volatile.Read(ref _count) > 0;

    public void Notify(IEnumerable<Guid> committedIds)
    {
        foreach (var id in committedIds)
        {
            if (Interlocked.Increment(ref _count) > MaxPending)
            {
                Interlocked.Decrement(ref _count);
                break;
            }

            _ids.Enqueue(id);
        }

        // Checked first: a busy service commits hundreds of times per relay round, and an exception each time costs.
        if (_semaphore.CurrentCount > 0)
        {
            return;
        }

        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another commit woke the relay between the check and the release.
        }
    }

    public IReadOnlyList<Guid> Take(int max)
    {
        var taken = new List<Guid>(Math.Min(max, Math.Max(0, Volatile.Read(ref _count))));
        while (taken.Count < max && _ids.TryDequeue(out var id))
        {
            Interlocked.Decrement(ref _count);
            taken.Add(id);
        }

        return taken;
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
