using Ahod.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using RabbitMQ.Client;
using static Ahod.Testing.Eventually;

namespace Ahod.Messaging.Tests.Infrastructure;

/// <summary>
/// What one test owns: a database schema holding its own outbox, inbox and business tables, its own
/// exchange and service queues, and the hosts it starts. Nothing is shared with other tests.
/// </summary>
public sealed class MessagingTestContext : IAsyncDisposable
{
    private readonly MessagingFixture _fixture;
    private readonly List<IHost> _hosts = [];
    private IConnection? _amqp;

    private MessagingTestContext(MessagingFixture fixture, string id)
    {
        _fixture = fixture;
        Schema = $"t_{id}";
        Exchange = $"ahod.events.{id}";
        ServiceName = $"svc-{id}";
        ConnectionString = new NpgsqlConnectionStringBuilder(fixture.PostgresConnectionString) { SearchPath = Schema }.ConnectionString;
    }

    public string Schema { get; }

    public string Exchange { get; }

    public string ServiceName { get; }

    /// <summary>Connection string whose search path puts this test's schema first.</summary>
    public string ConnectionString { get; }

    public HandlerScript Script { get; } = new();

    public static async Task<MessagingTestContext> CreateAsync(MessagingFixture fixture, CancellationToken cancellationToken)
    {
        var context = new MessagingTestContext(fixture, Guid.NewGuid().ToString("N")[..12]);
        await using (var admin = new NpgsqlConnection(fixture.PostgresConnectionString))
        {
            await admin.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"CREATE SCHEMA {context.Schema}", admin);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        // The same DDL a service's hand-written migration runs.
        await using var connection = new NpgsqlConnection(context.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var tables = new NpgsqlCommand(MessagingSchema.CreateTablesSql + TestDbContext.BusinessTablesSql, connection);
        await tables.ExecuteNonQueryAsync(cancellationToken);
        return context;
    }

    public TestDbContext NewDbContext() =>
        new(new DbContextOptionsBuilder<TestDbContext>().UseNpgsql(ConnectionString).Options);

    /// <summary>
    /// Starts a service host: relay and/or consumer, wired the way a real service wires them, connecting to the shared
    /// broker or to <paramref name="rabbitMq"/>. Returns once the consumer (if any) listens on its queue.
    /// </summary>
    public async Task<IHost> StartHostAsync(
        bool relay, bool consumer, CancellationToken cancellationToken, Action<MessagingOptions>? configure = null, string? rabbitMq = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:rabbitmq"] = rabbitMq ?? _fixture.RabbitMqConnectionString,
        });
        builder.Logging.AddFilter(level => level >= LogLevel.Warning);
        builder.AddRabbitMQConnection("rabbitmq");
        builder.Services.AddDbContext<TestDbContext>((sp, options) => options.UseNpgsql(ConnectionString).AddOutboxSignal(sp));
        builder.Services.AddSingleton(Script);
        builder.Services.ConfigureMessaging(options =>
        {
            options.Exchange = Exchange;
            options.ServiceName = ServiceName;
            options.MaxAttempts = 3;
            options.RetryDelays = [TimeSpan.FromMilliseconds(100)];
            options.RelayPollInterval = TimeSpan.FromMilliseconds(200);
            options.RelayMaxBackoff = TimeSpan.FromSeconds(1);
            configure?.Invoke(options);
        });
        if (relay)
        {
            builder.Services.AddOutboxRelay<TestDbContext>();
        }

        if (consumer)
        {
            builder.Services.AddIntegrationEventHandler<Ahod.Messaging.Contracts.UserRegistered, RecordingHandler, TestDbContext>();
        }

        var host = builder.Build();
        _hosts.Add(host);
        await host.StartAsync(cancellationToken);
        if (consumer)
        {
            // The consumer declares its queue in the background; tests publish once it is listening.
            await EventuallyAsync(async () => (await QueueStateAsync(ServiceName, cancellationToken))?.ConsumerCount > 0,
                TimeSpan.FromSeconds(30), () => $"no consumer on queue {ServiceName}", cancellationToken);
        }

        return host;
    }

    /// <summary>Waits until the service queue has no ready messages left.</summary>
    public Task WaitForQueueEmptyAsync(CancellationToken cancellationToken) =>
        EventuallyAsync(async () => (await QueueStateAsync(ServiceName, cancellationToken))?.MessageCount == 0,
            TimeSpan.FromSeconds(30), () => $"queue {ServiceName} is not empty", cancellationToken);

    private async Task<QueueDeclareOk?> QueueStateAsync(string queue, CancellationToken cancellationToken)
    {
        var channel = await OpenChannelAsync(cancellationToken);
        try
        {
            return await channel.QueueDeclarePassiveAsync(queue, cancellationToken);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
        {
            return null;
        }
        finally
        {
            await channel.DisposeAsync();
        }
    }

    /// <summary>A raw AMQP channel for probing and for publishing crafted messages.</summary>
    public async Task<IChannel> OpenChannelAsync(CancellationToken cancellationToken)
    {
        if (_amqp is not { IsOpen: true })
        {
            _amqp = await new ConnectionFactory { Uri = new Uri(_fixture.RabbitMqConnectionString) }.CreateConnectionAsync(cancellationToken);
        }

        var channel = await _amqp.CreateChannelAsync(
            new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true),
            cancellationToken);
        await channel.ExchangeDeclareAsync(Exchange, ExchangeType.Topic, durable: true, cancellationToken: cancellationToken);
        return channel;
    }

    /// <summary>A durable queue bound to every event on this test's exchange; survives a broker restart.</summary>
    public async Task<ProbeQueue> CreateProbeAsync(CancellationToken cancellationToken)
    {
        var channel = await OpenChannelAsync(cancellationToken);
        var queue = $"probe-{ServiceName}";
        await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queue, Exchange, "#", cancellationToken: cancellationToken);
        await channel.CloseAsync(cancellationToken);
        return new ProbeQueue(this, queue);
    }

    public async Task<long> CountOutboxAsync(bool processed, CancellationToken cancellationToken)
    {
        await using var db = NewDbContext();
        return await db.Set<OutboxMessage>().LongCountAsync(m => (m.ProcessedAt != null) == processed, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.StopAsync(CancellationToken.None);
            host.Dispose();
        }

        try
        {
            var channel = await OpenChannelAsync(CancellationToken.None);
            foreach (var queue in new[] { ServiceName, $"{ServiceName}.dlq", $"{ServiceName}.retry.100", $"probe-{ServiceName}" })
            {
                await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
            }

            await channel.ExchangeDeleteAsync($"{ServiceName}.retry");
            await channel.ExchangeDeleteAsync(Exchange);
            await channel.CloseAsync();
        }
        catch (Exception)
        {
            // Best effort: every name is unique to this test, so leftovers cannot disturb others.
        }

        if (_amqp is not null)
        {
            await _amqp.DisposeAsync();
        }

        await using var admin = new NpgsqlConnection(_fixture.PostgresConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP SCHEMA {Schema} CASCADE", admin);
        await drop.ExecuteNonQueryAsync();
        NpgsqlConnection.ClearAllPools();
    }
}
