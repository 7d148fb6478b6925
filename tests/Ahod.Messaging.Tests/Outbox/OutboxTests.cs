using System.Text.Json;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.Messaging.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;
using static Ahod.Testing.Eventually;

namespace Ahod.Messaging.Tests.Outbox;

public sealed class OutboxTests(MessagingFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AddIntegrationEvent_SavedWithBusinessChange_CommitsBothTogether()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        var widgetId = Guid.CreateVersion7();
        var evt = NewUser("ada");

        await using (var db = test.NewDbContext())
        {
            db.Widgets.Add(new Widget { Id = widgetId, Name = "w" });
            db.AddIntegrationEvent(evt);
            await db.SaveChangesAsync(ct);
        }

        await using var check = test.NewDbContext();
        (await check.Widgets.AnyAsync(w => w.Id == widgetId, ct)).ShouldBeTrue();
        var row = await check.Set<OutboxMessage>().SingleAsync(ct);
        row.Id.ShouldBe(evt.Id);
        row.Type.ShouldBe("user.registered");
        row.ProcessedAt.ShouldBeNull();
        using var payload = JsonDocument.Parse(row.Payload);
        payload.RootElement.GetProperty("userName").GetString().ShouldBe("ada");
    }

    [Fact]
    public async Task RolledBackTransaction_LeavesNoRowAndPublishesNothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        var probe = await test.CreateProbeAsync(ct);
        await test.StartHostAsync(relay: true, consumer: false, ct);
        var rolledBack = NewUser("rolled-back");
        var committed = NewUser("committed");

        await using (var db = test.NewDbContext())
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            db.Widgets.Add(new Widget { Id = Guid.CreateVersion7(), Name = "never" });
            db.AddIntegrationEvent(rolledBack);
            await db.SaveChangesAsync(ct);
            await transaction.RollbackAsync(ct);
        }

        await using (var db = test.NewDbContext())
        {
            db.AddIntegrationEvent(committed);
            await db.SaveChangesAsync(ct);
        }

        // The committed event arriving proves the relay ran after the rollback.
        await probe.WaitForAsync(1, Timeout, ct);
        await Task.Delay(500, ct);
        var received = await probe.DrainAsync(ct);
        received.Select(m => m.MessageId).ShouldBe([committed.Id.ToString()]);
        await using var check = test.NewDbContext();
        (await check.Widgets.CountAsync(ct)).ShouldBe(0);
        (await check.Set<OutboxMessage>().Select(m => m.Id).ToListAsync(ct)).ShouldBe([committed.Id]);
    }

    [Fact]
    public async Task Relay_PublishesPersistentCamelCaseMessageToBoundQueue_AndMarksRowProcessed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        var probe = await test.CreateProbeAsync(ct);
        await test.StartHostAsync(relay: true, consumer: false, ct);
        var evt = NewUser("grace");

        await using (var db = test.NewDbContext())
        {
            db.AddIntegrationEvent(evt);
            await db.SaveChangesAsync(ct);
        }

        var message = (await probe.WaitForAsync(1, Timeout, ct)).Single();
        message.MessageId.ShouldBe(evt.Id.ToString());
        message.Type.ShouldBe("user.registered");
        message.DeliveryMode.ShouldBe(DeliveryModes.Persistent);
        var received = JsonSerializer.Deserialize<UserRegistered>(message.Body, IntegrationEventSerializer.Options);
        received.ShouldBe(evt);
        using var body = JsonDocument.Parse(message.Body);
        body.RootElement.GetProperty("userName").GetString().ShouldBe("grace");
        await EventuallyAsync(async () => await test.CountOutboxAsync(processed: true, ct) == 1, Timeout,
            () => "the outbox row was not marked processed", ct);
    }

    [Fact]
    public async Task TwoRelaysOnOneTable_NeverPublishTheSameRowTwice()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        var probe = await test.CreateProbeAsync(ct);
        const int count = 600;
        await using (var db = test.NewDbContext())
        {
            for (var i = 0; i < count; i++)
            {
                db.AddIntegrationEvent(NewUser($"user-{i}"));
            }

            await db.SaveChangesAsync(ct);
        }

        // Small batches and both relays starting on a full table make them contend for the same rows.
        await Task.WhenAll(
            test.StartHostAsync(relay: true, consumer: false, ct, o => o.RelayBatchSize = 10),
            test.StartHostAsync(relay: true, consumer: false, ct, o => o.RelayBatchSize = 10));

        await probe.WaitForAsync(count, Timeout, ct);
        await EventuallyAsync(async () => await test.CountOutboxAsync(processed: false, ct) == 0, Timeout,
            () => "rows are still unprocessed", ct);
        await Task.Delay(500, ct);
        var received = await probe.DrainAsync(ct);
        received.Count.ShouldBe(count);
        received.Select(m => m.MessageId).Distinct().Count().ShouldBe(count);
    }

    internal static UserRegistered NewUser(string userName) =>
        new(Guid.CreateVersion7(), $"{userName}@example.test", userName, "First", "Last");
}
