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

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}
