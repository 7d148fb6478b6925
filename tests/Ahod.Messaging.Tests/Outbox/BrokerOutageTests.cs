using Ahod.Messaging.Outbox;
using Ahod.Messaging.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Ahod.Testing.Eventually;

namespace Ahod.Messaging.Tests.Outbox;

[CollectionDefinition(nameof(BrokerOutage), DisableParallelization = true)]
public sealed class BrokerOutage;

/// <summary>Stops the shared broker, so it runs alone, after the parallel tests.</summary>
[Collection(nameof(BrokerOutage))]
public sealed class BrokerOutageTests(MessagingFixture fixture)
{
    [Fact]
    public async Task EventsWrittenWhileRabbitMqIsDown_StayInOutbox_AndAreAllDeliveredWhenItReturns()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        var probe = await test.CreateProbeAsync(ct);
        await test.StartHostAsync(relay: true, consumer: false, ct);
        // Connect the relay before the outage, so the test covers recovery and not just a late first connect.
        await using (var db = test.NewDbContext())
        {
            db.AddIntegrationEvent(OutboxTests.NewUser("before"));
            await db.SaveChangesAsync(ct);
        }

        await probe.WaitForAsync(1, TimeSpan.FromSeconds(30), ct);

        await fixture.StopRabbitMqAsync(ct);
        List<Guid> written = [];
        try
        {
            for (var i = 0; i < 5; i++)
            {
                await using var db = test.NewDbContext();
                var evt = OutboxTests.NewUser($"during-{i}");
                db.AddIntegrationEvent(evt);
                await db.SaveChangesAsync(ct);
                written.Add(evt.Id);
            }

            // The relay keeps trying and failing; the rows stay, counting attempts.
            await EventuallyAsync(async () =>
            {
                await using var db = test.NewDbContext();
                return await db.Set<OutboxMessage>().CountAsync(m => m.ProcessedAt == null && m.Attempts > 0, ct) == written.Count;
            }, TimeSpan.FromSeconds(30), () => "the relay did not try the rows while RabbitMQ was down", ct);
            (await test.CountOutboxAsync(processed: false, ct)).ShouldBe(written.Count);
        }
        finally
        {
            await fixture.StartRabbitMqAsync(ct);
        }

        await EventuallyAsync(async () => await test.CountOutboxAsync(processed: false, ct) == 0, TimeSpan.FromSeconds(60),
            () => "the relay did not deliver after RabbitMQ came back", ct);
        var received = await probe.WaitForAsync(1 + written.Count, TimeSpan.FromSeconds(30), ct);
        written.Select(id => id.ToString()).ShouldBeSubsetOf(received.Select(m => m.MessageId!));
    }
}
