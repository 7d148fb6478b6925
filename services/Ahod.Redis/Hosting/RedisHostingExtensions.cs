using Ahod.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

// In the hosting namespace, like Aspire's client integrations, so Program.cs needs no extra using.
namespace Microsoft.Extensions.Hosting;

public static class RedisHostingExtensions
{
    /// <summary>
    /// Registers a <see cref="RedisClient"/> singleton for <c>ConnectionStrings:{connectionName}</c>
    /// (the AppHost sets it from <c>WithReference</c>) and a health check with the same name that
    /// PINGs with a two-second timeout. The client is also registered as a keyed service under the
    /// name, so a service can use more than one Redis.
    /// </summary>
    public static IHostApplicationBuilder AddRedisClient(this IHostApplicationBuilder builder, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"Redis connection string 'ConnectionStrings:{connectionName}' is missing. " +
                $"Reference the '{connectionName}' resource from the AppHost or set ConnectionStrings__{connectionName}.");
        }

        // Parsed now so a malformed string stops start-up instead of the first request.
        var options = RedisConnectionOptions.Parse(connectionString);

        builder.Services.AddKeyedSingleton(connectionName, (sp, _) =>
            new RedisClient(options, sp.GetService<ILogger<RedisClient>>()));
        builder.Services.TryAddSingleton(sp => sp.GetRequiredKeyedService<RedisClient>(connectionName));

        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName,
            sp => new RedisHealthCheck(sp.GetRequiredKeyedService<RedisClient>(connectionName)),
            HealthStatus.Unhealthy,
            ["ready", "redis"]));

        return builder;
    }
}
