using Ahod.Messaging.Contracts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Ahod.Messaging.Consumers;

internal enum HandleResult
{
    Handled,
    Duplicate,
}

/// <summary>One event type the service consumes, and how to run its handlers exactly once.</summary>
internal abstract class EventSubscription
{
    public abstract string EventName { get; }

    public abstract Type EventType { get; }

    public abstract Type DbContextType { get; }

    public abstract Task<HandleResult> HandleAsync(
        IServiceProvider services, IntegrationEvent integrationEvent, string consumer, CancellationToken cancellationToken);
}

internal sealed class EventSubscription<TEvent, TDbContext> : EventSubscription
    where TEvent : IntegrationEvent
    where TDbContext : DbContext
{
    public override string EventName { get; } = IntegrationEventNames.For<TEvent>();

    public override Type EventType => typeof(TEvent);

    public override Type DbContextType => typeof(TDbContext);

    /// <summary>
    /// In one transaction: claim the inbox row, run the handlers, save. The claim is an
    /// <c>INSERT .. ON CONFLICT DO NOTHING</c> rather than a read: a concurrent redelivery of the same
    /// event blocks on the uncommitted row and then sees it, so two deliveries can never both run.
    /// </summary>
    public override async Task<HandleResult> HandleAsync(
        IServiceProvider services, IntegrationEvent integrationEvent, string consumer, CancellationToken cancellationToken)
    {
        var typedEvent = (TEvent)integrationEvent;
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();

        // The execution strategy replays the whole unit when the database connection drops mid-way.
        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);

            // Only the table name (from the EF model) is spliced in; the values are parameters.
            var claimSql = $"INSERT INTO {MessagingTables.Inbox(db)} (event_id, consumer, event_type, processed_at) " +
                "VALUES ({0}, {1}, {2}, now()) ON CONFLICT DO NOTHING";
            var claimed = await db.Database.ExecuteSqlRawAsync(claimSql, [typedEvent.Id, consumer, EventName], ct);
            if (claimed == 0)
            {
                return HandleResult.Duplicate;
            }

            foreach (var handler in scope.ServiceProvider.GetServices<IIntegrationEventHandler<TEvent>>())
            {
                await handler.HandleAsync(typedEvent, ct);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return HandleResult.Handled;
        }, cancellationToken);
    }
}
