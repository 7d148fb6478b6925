using Microsoft.Extensions.Diagnostics.HealthChecks;
using RabbitMQ.Client;

namespace Ahod.Messaging.RabbitMq;

/// <summary>Healthy when a channel can be opened (and closed) on the connection now.</summary>
internal sealed class RabbitMqHealthCheck(RabbitMqConnection connection) : IHealthCheck
{
    internal static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var amqp = await connection.GetConnectionAsync(timeout.Token);
            await using var channel = await amqp.CreateChannelAsync(cancellationToken: timeout.Token);
            await channel.CloseAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"RabbitMQ '{connection.Name}' is unreachable: {ex.Message}", ex);
        }
    }
}
