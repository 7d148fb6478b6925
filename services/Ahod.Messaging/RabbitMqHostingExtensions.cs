using Ahod.Messaging.RabbitMq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ahod.Messaging;

public static class RabbitMqHostingExtensions
{
    /// <summary>
    /// Registers the service's RabbitMQ connection from <c>ConnectionStrings:&lt;connectionName&gt;</c>
    /// (<c>amqp://user:pass@host:port</c>, as the AppHost injects it) and a health check of the same name.
    /// The connection opens on first use and recovers by itself after network failures.
    /// </summary>
    public static IHostApplicationBuilder AddRabbitMQClient(this IHostApplicationBuilder builder, string connectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        var connectionString = builder.Configuration.GetConnectionString(connectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is not set. Expected an AMQP URI such as amqp://user:pass@host:5672 " +
                $"(environment variable ConnectionStrings__{connectionName}).");
        }

        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps"))
        {
            throw new InvalidOperationException(
                $"ConnectionStrings:{connectionName} is not an AMQP URI (amqp://user:pass@host:port).");
        }

        builder.Services.AddMessagingCore();
        builder.Services.AddSingleton(sp => new RabbitMqConnection(connectionName, uri, sp.GetRequiredService<ILogger<RabbitMqConnection>>()));
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName,
            sp => new RabbitMqHealthCheck(sp.GetRequiredService<RabbitMqConnection>()),
            HealthStatus.Unhealthy,
            tags: null,
            timeout: RabbitMqHealthCheck.Timeout));
        return builder;
    }
}
