using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ahod.Redis;

/// <summary>Healthy when a PING is answered within two seconds.</summary>
public sealed class RedisHealthCheck(RedisClient client) : IHealthCheck
{
    // Short on purpose: a health probe that hangs is worse than one that says "unhealthy".
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var latency = await client.PingAsync(timeout.Token);
            return HealthCheckResult.Healthy($"PING answered in {latency.TotalMilliseconds:0.0} ms");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"Redis at {client.Options.Endpoint} did not answer PING within {Timeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is RedisException or ObjectDisposedException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                $"Redis at {client.Options.Endpoint} is unavailable: {ex.Message}", ex);
        }
    }
}
