namespace Ahod.Messaging.Outbox;

/// <summary>
/// Wakes the relay as soon as this process commits outbox rows, so events leave within
/// milliseconds instead of at the next poll. Other processes' rows are found by polling.
/// </summary>
public interface IOutboxSignal
{
    void Notify();

    /// <summary>Completes when notified or after <paramref name="timeout"/>.</summary>
    Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken);
}

internal sealed class OutboxSignal : IOutboxSignal, IDisposable
{
    // At most one pending wake-up: many commits during one relay round need only one more round.
    private readonly SemaphoreSlim _semaphore = new(0, 1);

    public void Notify()
    {
        try
        {
            _semaphore.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
