using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ahod.ServiceDefaults;

/// <summary>Subscribes <see cref="SessionRevocation"/> to Identity's channel, retrying until Redis answers (it may start later).</summary>
internal sealed class SessionRevocationListener(SessionRevocation revocation, ILogger<SessionRevocationListener> logger) : BackgroundService
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var attempt = 1; !stoppingToken.IsCancellationRequested; attempt++)
        {
            try
            {
                // A Redis that does not answer holds the subscription up to its own timeout: stopping does not wait for it.
                await revocation.SubscribeAsync().WaitAsync(stoppingToken);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
            {
                if (attempt == 1)
                {
                    logger.LogInformation("Redis not reachable yet ({Reason}); subscribing to session revocations when it is.", e.Message);
                }

                await Task.Delay(RetryEvery, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }
}
