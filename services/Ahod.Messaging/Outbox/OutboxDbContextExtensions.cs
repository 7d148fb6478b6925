using Ahod.Messaging.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Messaging.Outbox;

public static class OutboxDbContextExtensions
{
    /// <summary>
    /// Queues <paramref name="integrationEvent"/> for publishing by adding it to the outbox in this
    /// DbContext: the next <c>SaveChanges</c> commits it together with the business change (or neither),
    /// and the relay publishes it after the commit.
    /// </summary>
    public static OutboxMessage AddIntegrationEvent(this DbContext dbContext, IntegrationEvent integrationEvent)
    {
        ArgumentNullException.ThrowIfNull(integrationEvent);
        var message = OutboxMessage.From(integrationEvent);
        dbContext.Set<OutboxMessage>().Add(message);
        return message;
    }
}
