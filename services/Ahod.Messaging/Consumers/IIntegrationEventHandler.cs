using Ahod.Messaging.Contracts;

namespace Ahod.Messaging.Consumers;

/// <summary>
/// Reacts to one event type. Resolved per delivery from a scope that also holds the service's DbContext,
/// already inside the transaction that records the event in the inbox: write through that DbContext and
/// do not call SaveChanges or commit; both happen after the handler returns. Throw to have the event
/// retried (and eventually dead-lettered).
/// </summary>
public interface IIntegrationEventHandler<in TEvent> where TEvent : IntegrationEvent
{
    Task HandleAsync(TEvent integrationEvent, CancellationToken cancellationToken);
}
