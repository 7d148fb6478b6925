using Ahod.Messaging.Consumers;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.Messaging.RabbitMq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Ahod.Messaging;

public static class MessagingServiceCollectionExtensions
{
    /// <summary>
    /// Aspire's RabbitMQ client (<c>AddRabbitMQClient</c>: the <see cref="RabbitMQ.Client.IConnection"/>, its health check
    /// and tracing) with one connect attempt per resolution. Aspire's default retries a refused connect five times with
    /// exponential delays (1, 2, 4, 8, 16 s) while the resolving thread, and the health check, wait; a service that started
    /// while RabbitMQ was still booting stayed unhealthy for up to 16 s after the broker was up. The relay and the consumer
    /// retry on their own instead, at most <see cref="MessagingOptions.StartMaxBackoff"/> apart until they first succeed.
    /// </summary>
    public static IHostApplicationBuilder AddRabbitMQConnection(this IHostApplicationBuilder builder, string connectionName)
    {
        builder.AddRabbitMQClient(connectionName, settings => settings.MaxConnectRetryCount = 0);
        return builder;
    }

    /// <summary>
    /// Publishes the outbox of <typeparamref name="TDbContext"/> in the background. Needs
    /// <c>builder.AddRabbitMQConnection("rabbitmq")</c> (the <see cref="RabbitMQ.Client.IConnection"/>), and <c>modelBuilder.AddOutboxAndInbox()</c>
    /// in the context; events are written with <see cref="OutboxDbContextExtensions.AddIntegrationEvent"/>.
    /// </summary>
    public static IServiceCollection AddOutboxRelay<TDbContext>(this IServiceCollection services)
        where TDbContext : DbContext
    {
        services.AddMessagingCore();
        services.AddHostedService<OutboxRelay<TDbContext>>();
        return services;
    }

    /// <summary>
    /// Handles <typeparamref name="TEvent"/> with <typeparamref name="THandler"/> (scoped), exactly once per
    /// event for this service: the inbox record is committed in <typeparamref name="TDbContext"/> together with
    /// whatever the handler changed there. Binds the service queue (<see cref="MessagingOptions.ServiceName"/>)
    /// to the event's routing key.
    /// </summary>
    public static IServiceCollection AddIntegrationEventHandler<TEvent, THandler, TDbContext>(this IServiceCollection services)
        where TEvent : IntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
        where TDbContext : DbContext
    {
        services.AddMessagingCore();
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IIntegrationEventHandler<TEvent>, THandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<EventSubscription, EventSubscription<TEvent, TDbContext>>());
        services.TryAddSingleton<DeliveryProcessor>();
        services.AddHostedService<IntegrationEventConsumer>();
        return services;
    }

    /// <summary>Sets messaging options in code (they are also bound from the <c>Messaging</c> section).</summary>
    public static IServiceCollection ConfigureMessaging(this IServiceCollection services, Action<MessagingOptions> configure)
    {
        services.AddMessagingCore();
        services.Configure(configure);
        return services;
    }

    internal static IServiceCollection AddMessagingCore(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(MessagingCoreMarker)))
        {
            return services;
        }

        services.AddSingleton<MessagingCoreMarker>();
        services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<RabbitMqConnection>();
        services.TryAddSingleton<RabbitMqPublisher>();
        services.TryAddSingleton<IOutboxSignal, OutboxSignal>();
        services.TryAddSingleton<OutboxSignalInterceptor>();
        return services;
    }

    private sealed class MessagingCoreMarker;
}
