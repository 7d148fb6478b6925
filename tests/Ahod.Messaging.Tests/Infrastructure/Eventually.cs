namespace Ahod.Messaging.Tests.Infrastructure;

/// <summary>Waits for asynchronous effects (relay, consumer, retries) without fixed sleeps.</summary>
public static class Eventually
{
    public static async Task TrueAsync(
        Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not true after {timeout}: {describe()}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
