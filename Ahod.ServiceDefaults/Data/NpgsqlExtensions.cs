using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ahod.ServiceDefaults;

/// <summary>PostgreSQL client integration in Aspire's style: the connection string comes from ConnectionStrings:&lt;name&gt;.</summary>
public static class NpgsqlExtensions
{
    /// <summary>Registers a pooled <typeparamref name="TContext"/> on Npgsql plus a health check named <paramref name="connectionName"/>.</summary>
    public static IHostApplicationBuilder AddNpgsqlDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<DbContextOptionsBuilder>? configure = null)
        where TContext : DbContext
    {
        var connectionString = GetConnectionString(builder.Configuration, connectionName);

        builder.Services.AddDbContextPool<TContext>(options =>
        {
            // No EnableRetryOnFailure: services run explicit transactions (ledger, outbox), which an
            // execution strategy would refuse or replay behind our back.
            options.UseNpgsql(connectionString);
            configure?.Invoke(options);
        });

        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName,
            _ => new NpgsqlHealthCheck(async cancellationToken =>
            {
                var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                return connection;
            }),
            HealthStatus.Unhealthy,
            tags: null,
            timeout: NpgsqlHealthCheck.Timeout));

        return builder;
    }

    /// <summary>Registers a singleton <see cref="NpgsqlDataSource"/> plus a health check named <paramref name="connectionName"/>.</summary>
    public static IHostApplicationBuilder AddNpgsqlDataSource(this IHostApplicationBuilder builder, string connectionName)
    {
        var connectionString = GetConnectionString(builder.Configuration, connectionName);

        builder.Services.TryAddSingleton(services => new NpgsqlDataSourceBuilder(connectionString)
            .UseLoggerFactory(services.GetService<ILoggerFactory>())
            .Build());
        builder.Services.TryAddSingleton<System.Data.Common.DbDataSource>(services => services.GetRequiredService<NpgsqlDataSource>());

        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            connectionName,
            services =>
            {
                var dataSource = services.GetRequiredService<NpgsqlDataSource>();
                return new NpgsqlHealthCheck(dataSource.OpenConnectionAsync);
            },
            HealthStatus.Unhealthy,
            tags: null,
            timeout: NpgsqlHealthCheck.Timeout));

        return builder;
    }

    internal static string GetConnectionString(IConfiguration configuration, string connectionName)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);
        var connectionString = configuration.GetConnectionString(connectionName);
        return string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException(
                $"Connection string '{connectionName}' is missing. Set ConnectionStrings:{connectionName} " +
                $"(environment ConnectionStrings__{connectionName}); the AppHost injects it for each database reference.")
            : connectionString;
    }
}
