using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Ahod.ServiceDefaults;

/// <summary>Really opens a connection and runs SELECT 1: a pool that merely exists proves nothing about the server.</summary>
internal sealed class NpgsqlHealthCheck(Func<CancellationToken, ValueTask<NpgsqlConnection>> openConnection) : IHealthCheck
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await openConnection(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException or InvalidOperationException)
        {
            // The description is public (/health is anonymous); the exception goes to the logs only.
            return new HealthCheckResult(context.Registration.FailureStatus, "PostgreSQL is unreachable.", ex);
        }
    }
}
