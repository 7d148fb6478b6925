using System.Collections.Concurrent;
using Ahod.Messaging.Consumers;
using Ahod.Messaging.Contracts;

namespace Ahod.Messaging.Tests.Infrastructure;

/// <summary>Counts every invocation and decides per invocation whether the handler throws.</summary>
public sealed class HandlerScript
{
    public ConcurrentDictionary<Guid, int> Invocations { get; } = new();

    /// <summary>Given the event and its invocation number (1-based), whether to throw.</summary>
    public Func<UserRegistered, int, bool> Fail { get; set; } = (_, _) => false;

    public int InvocationsOf(Guid eventId) => Invocations.GetValueOrDefault(eventId);
}

public sealed class RecordingHandler(TestDbContext db, HandlerScript script) : IIntegrationEventHandler<UserRegistered>
{
    public Task HandleAsync(UserRegistered integrationEvent, CancellationToken cancellationToken)
    {
        var invocation = script.Invocations.AddOrUpdate(integrationEvent.Id, 1, (_, n) => n + 1);
        if (script.Fail(integrationEvent, invocation))
        {
            throw new InvalidOperationException($"Scripted failure {invocation} for {integrationEvent.UserName}");
        }

        // Written through the consumer's DbContext; committed with the inbox record, not here.
        db.HandledEvents.Add(new HandledEvent { EventId = integrationEvent.Id, UserName = integrationEvent.UserName });
        return Task.CompletedTask;
    }
}
