using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using RabbitMQ.Client;

namespace Ahod.Hosting;

/// <summary>
/// PostgreSQL, Redis and RabbitMQ for the Ahod app model. In run mode they are Debian's servers run by DCP as
/// executables (no container engine is needed); in publish mode they are Aspire's own container resources, so the
/// manifest describes what a cloud deployment runs; a <c>ConnectionStrings:{name}</c> in configuration makes one
/// external (Aspire's <c>AddConnectionString</c>: nothing is started).
/// </summary>
public static class ServerBuilderExtensions
{
    /// <summary>
    /// Aspire runs a resource's health checks without a timeout of its own: one attempt that hangs (a server that took
    /// the connection while still booting and never answered) would leave the resource "Unknown" for good. With this
    /// bound it becomes Unhealthy and is checked again.
    /// </summary>
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <param name="port">
    /// The port the server itself listens on in development; tests leave the choice to DCP. No DCP proxy sits in front
    /// of a server: every query, command and publish would cross one more process (pgbench's TPS doubled without it).
    /// </param>
    public static IResourceBuilder<IResourceWithConnectionString> AddPostgresServer(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        if (ExternalOrContainer(builder, name, () => builder.AddPostgres(name).WithDataVolume()) is { } other)
        {
            return other;
        }

        var password = NewPassword(builder, name);
        var dataDirectory = builder.DataDirectory(name);
        var server = new LocalPostgresResource(name, builder.Script("postgres.sh"), builder.StateDirectory(), password);
        string? connectionString = null;
        OnConnectionString(builder, server, value => connectionString = value);
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, (e, ct) => CreateDatabasesAsync(server, connectionString!, e.Services, ct));

        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(
            _ => connectionString ?? throw new InvalidOperationException($"'{name}' has no connection string yet."),
            name: healthCheck,
            configure: c => c.ConnectionString += ";Database=postgres;Timeout=3;Pooling=false",
            timeout: HealthCheckTimeout);

        List<object> extra = builder.IsEphemeral() ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [];
        return builder.AddResource(server)
            .WithArgs([server.ScriptPath, dataDirectory, .. extra])
            .WithEndpoint(port: builder.DirectPort(port), name: LocalServerResource.PrimaryEndpointName, scheme: "tcp", env: "PGPORT", isProxied: false)
            .WithEnvironment("POSTGRES_PASSWORD", password)
            .WithHealthCheck(healthCheck)
            .WithIconName("DatabaseMultiple")
            .ExcludeFromManifest();
    }

    /// <summary>A database on the server; on a local server it is created when the server is first ready.</summary>
    public static IResourceBuilder<IResourceWithConnectionString> AddDatabase(this IResourceBuilder<IResourceWithConnectionString> server, string name)
    {
        var builder = server.ApplicationBuilder;
        switch (server.Resource)
        {
            case LocalPostgresResource local:
                local.Databases[name] = name;
                var database = new LocalPostgresDatabaseResource(name, name, local);
                return builder.AddResource(database).ExcludeFromManifest();
            case PostgresServerResource container:
                return PostgresBuilderExtensions.AddDatabase(builder.CreateResourceBuilder(container), name);
            default:
                // External server: the database's connection string is the server's plus the database name.
                return builder.AddConnectionString(name, ReferenceExpression.Create($"{server.Resource};Database={name}"));
        }
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddRedisServer(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        if (ExternalOrContainer(builder, name, () => builder.AddRedis(name).WithDataVolume()) is { } other)
        {
            return other;
        }

        var password = NewPassword(builder, name);
        var server = new LocalRedisResource(name, builder.Script("redis.sh"), builder.StateDirectory(), password);
        string? connectionString = null;
        OnConnectionString(builder, server, value => connectionString = value);
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(
            _ => connectionString ?? throw new InvalidOperationException($"'{name}' has no connection string yet."), name: healthCheck, timeout: HealthCheckTimeout);

        List<object> extra = builder.IsEphemeral() ? ["appendonly no", "save \"\""] : [];
        return builder.AddResource(server)
            .WithArgs([server.ScriptPath, builder.DataDirectory(name), .. extra])
            .WithEndpoint(port: builder.DirectPort(port), name: LocalServerResource.PrimaryEndpointName, scheme: "tcp", env: "REDIS_PORT", isProxied: false)
            .WithEnvironment("REDIS_PASSWORD", password)
            .WithHealthCheck(healthCheck)
            .WithIconName("Memory")
            .ExcludeFromManifest();
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddRabbitMQServer(this IDistributedApplicationBuilder builder, string name, int? port = null)
    {
        if (ExternalOrContainer(builder, name, () => builder.AddRabbitMQ(name).WithDataVolume()) is { } other)
        {
            return other;
        }

        // Erlang's port mapper for this broker only, on a free loopback port; a broker that found none would spawn a
        // detached one on 0.0.0.0:4369 that outlives the AppHost.
        var epmd = builder.AddExecutable($"{name}-epmd", "epmd", builder.StateDirectory())
            .WithEndpoint(name: "tcp", scheme: "tcp", isProxied: false)
            .WithArgs(c =>
            {
                var endpoint = ((IResourceWithEndpoints)c.Resource).GetEndpoint("tcp");
                c.Args.Add("-port");
                c.Args.Add(endpoint.Property(EndpointProperty.TargetPort));
                c.Args.Add("-address");
                c.Args.Add("127.0.0.1");
            })
            .WithIconName("PlugConnected")
            .ExcludeFromManifest();

        var password = NewPassword(builder, name);
        var server = new LocalRabbitMQResource(name, builder.Script("rabbitmq.sh"), builder.StateDirectory(), password);
        string? connectionString = null;
        OnConnectionString(builder, server, value => connectionString = value);
        var healthCheck = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            healthCheck, _ => new AmqpLoginHealthCheck(() => connectionString), HealthStatus.Unhealthy, tags: null, HealthCheckTimeout));

        var epmdEndpoint = epmd.GetEndpoint("tcp");
        var rabbitmq = builder.AddResource(server)
            .WithArgs([server.ScriptPath, builder.DataDirectory(name)])
            .WithEndpoint(port: builder.DirectPort(port), name: LocalServerResource.PrimaryEndpointName, scheme: "tcp", env: "RABBITMQ_NODE_PORT", isProxied: false)
            .WithEndpoint(name: "dist", scheme: "tcp", env: "RABBITMQ_DIST_PORT", isProxied: false)
            .WithEnvironment("ERL_EPMD_PORT", epmdEndpoint.Property(EndpointProperty.TargetPort))
            .WithEnvironment("RABBITMQ_DEFAULT_USER", LocalRabbitMQResource.UserName)
            .WithEnvironment("RABBITMQ_DEFAULT_PASS", password)
            .WaitForStart(epmd)
            .WithHealthCheck(healthCheck)
            .WithIconName("Mail")
            .ExcludeFromManifest();
        epmd.WithParentRelationship(rabbitmq);
        return rabbitmq;
    }

    /// <summary>An external server (a connection string in configuration) or, in publish mode, Aspire's container; null in run mode.</summary>
    private static IResourceBuilder<IResourceWithConnectionString>? ExternalOrContainer(
        IDistributedApplicationBuilder builder, string name, Func<IResourceBuilder<IResourceWithConnectionString>> container) =>
        builder.IsExternal(name) ? builder.AddConnectionString(name)
        : builder.ExecutionContext.IsPublishMode ? container()
        : null;

    // No special characters: the password also goes into amqp:// URIs and Npgsql connection strings.
    private static ParameterResource NewPassword(IDistributedApplicationBuilder builder, string name) =>
        ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);

    /// <summary>The health checks need the connection string, which is known once DCP has allocated the endpoint.</summary>
    private static void OnConnectionString(IDistributedApplicationBuilder builder, LocalServerResource server, Action<string?> set) =>
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(server, async (_, ct) =>
            set(await server.ConnectionStringExpression.GetValueAsync(ct).ConfigureAwait(false)));

    private static async Task CreateDatabasesAsync(LocalPostgresResource server, string connectionString, IServiceProvider services, CancellationToken ct)
    {
        var notifications = services.GetRequiredService<ResourceNotificationService>();
        var model = services.GetRequiredService<DistributedApplicationModel>();
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        foreach (var database in model.Resources.OfType<LocalPostgresDatabaseResource>().Where(d => d.Parent == server))
        {
            await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = database.DatabaseName } } })
            {
                if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is null)
                {
                    try
                    {
                        var quoted = "\"" + database.DatabaseName.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
                        await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
                        await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                    }
                    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
                    {
                        // Created by another start at the same moment: fine.
                    }
                }
            }

            // Aspire hands a parent's state to its children only for containers; a database is usable from here on.
            await notifications.PublishUpdateAsync(database, s => s with { State = KnownResourceStates.Running, StartTimeStamp = DateTime.UtcNow }).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// An AMQP login with short timeouts: with the client's default 10 s handshake wait, one attempt during the broker's
    /// boot would make readiness seconds late.
    /// </summary>
    private sealed class AmqpLoginHealthCheck(Func<string?> connectionString) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var value = connectionString();
            if (value is null)
            {
                return HealthCheckResult.Unhealthy("No connection string yet.");
            }

            var factory = new ConnectionFactory
            {
                Uri = new Uri(value),
                RequestedConnectionTimeout = TimeSpan.FromSeconds(2),
                HandshakeContinuationTimeout = TimeSpan.FromSeconds(2),
                ContinuationTimeout = TimeSpan.FromSeconds(2),
                AutomaticRecoveryEnabled = false,
            };
            try
            {
                // WaitAsync: the attempt is abandoned at the check's timeout even if the client stops watching the token.
                await using var connection = await factory.CreateConnectionAsync(cancellationToken).WaitAsync(cancellationToken).ConfigureAwait(false);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                return HealthCheckResult.Unhealthy(e.Message, e);
            }
        }
    }
}
