using System.Text.Json;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.Messaging.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task RowsCommittedInAnExplicitTransaction_ArePublishedAtOnce_WithoutWaitingForTheSweep()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        var probe = await test.CreateProbeAsync(ct);
        // The sweep runs once at start, then not for ten minutes: only the commit's own signal can publish these rows.
        var host = await test.StartHostAsync(relay: true, consumer: false, ct, o => o.RelayPollInterval = TimeSpan.FromMinutes(10));
        await Task.Delay(500, ct);
        var first = NewUser("first");
        var second = NewUser("second");
        var rolledBack = NewUser("rolled-back");

        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                db.AddIntegrationEvent(first);
                await db.SaveChangesAsync(ct);
                db.AddIntegrationEvent(second);
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }

            await using (var transaction = await db.Database.BeginTransactionAsync(ct))
            {
                db.AddIntegrationEvent(rolledBack);
                await db.SaveChangesAsync(ct);
                await transaction.RollbackAsync(ct);
            }
        }

        var received = await probe.WaitForAsync(2, TimeSpan.FromSeconds(10), ct);
        await Task.Delay(500, ct);
        (await probe.DrainAsync(ct)).Select(m => m.MessageId).ShouldBe([first.Id.ToString(), second.Id.ToString()], ignoreOrder: true);
        await EventuallyAsync(async () => await test.CountOutboxAsync(processed: true, ct) == 2, Timeout,
            () => "the committed rows were not marked processed", ct);
        (await test.CountOutboxAsync(processed: false, ct)).ShouldBe(0);
    }

    [Fact]
    public async Task AStreamOfOwnCommits_IsPublishedByPrimaryKey_WithoutSweepingBeforeTheSweepIsDue()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        var probe = await test.CreateProbeAsync(ct);
        // The sweep runs once at start (before anything signalled), then not for ten minutes.
        var host = await test.StartHostAsync(relay: true, consumer: false, ct, o => o.RelayPollInterval = TimeSpan.FromMinutes(10));
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            db.AddIntegrationEvent(NewUser("starter"));
            await db.SaveChangesAsync(ct);
        }

        await probe.WaitForAsync(1, Timeout, ct);
        // A row nobody signals (another process's): only a sweep can publish it.
        var foreign = NewUser("foreign");
        await using (var db = test.NewDbContext())
        {
            db.AddIntegrationEvent(foreign);
            await db.SaveChangesAsync(ct);
        }

        // Commits land while relay rounds run, so the relay is often woken for ids a running round already took.
        const int writers = 4, commits = 50;
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            for (var i = 0; i < commits; i++)
            {
                db.AddIntegrationEvent(NewUser($"own-{w}-{i}"));
                await db.SaveChangesAsync(ct);
            }
        }, ct)));

        await EventuallyAsync(async () => await test.CountOutboxAsync(processed: true, ct) >= 1 + writers * commits, Timeout,
            () => "the signalled rows were not all published", ct);
        await Task.Delay(500, ct);
        var received = await probe.DrainAsync(ct);
        received.Count.ShouldBe(1 + writers * commits);
        received.ShouldNotContain(m => m.MessageId == foreign.Id.ToString(), "no sweep ran: the next is due in ten minutes");
        (await test.CountOutboxAsync(processed: false, ct)).ShouldBe(1);
    }

    [Fact]
    public async Task RowsOfOtherProcesses_AreSwept_WhileThisProcessKeepsCommittingItsOwn()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        var probe = await test.CreateProbeAsync(ct);
        var host = await test.StartHostAsync(relay: true, consumer: false, ct, o =>
        {
            o.RelayPollInterval = TimeSpan.FromMilliseconds(200);
            o.RelayBatchSize = 5;
        });

        // This process commits events faster than its relay publishes them (5 a round), so signalled ids are always
        // waiting...
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var own = 0;
        var writer = Task.Run(async () =>
        {
            await using var scope = host.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
            while (!stop.IsCancellationRequested)
            {
                for (var i = 0; i < 20; i++, own++)
                {
                    db.AddIntegrationEvent(NewUser($"own-{own}"));
                }

                await db.SaveChangesAsync(CancellationToken.None);
                await Task.Delay(10, CancellationToken.None);
            }
        }, CancellationToken.None);

        // ... and another process (a context without the signal) commits rows nobody tells it about.
        await Task.Delay(300, ct);
        var foreign = Enumerable.Range(0, 20).Select(i => NewUser($"foreign-{i}")).ToList();
        await using (var db = test.NewDbContext())
        {
            foreach (var e in foreign)
            {
                db.AddIntegrationEvent(e);
            }

            await db.SaveChangesAsync(ct);
        }

        var foreignIds = foreign.Select(e => e.Id.ToString()).ToHashSet();
        try
        {
            // Published while the stream of own events goes on: the sweep is not starved by the signalled rows.
            await EventuallyAsync(async () => (await probe.DrainAsync(ct)).Count(m => foreignIds.Contains(m.MessageId!)) == foreign.Count,
                TimeSpan.FromSeconds(10), () => "the other process's rows were not published while this one kept committing", ct);
            writer.IsCompleted.ShouldBeFalse();
        }
        finally
        {
            await stop.CancelAsync();
            await writer;
        }

        await EventuallyAsync(async () => await test.CountOutboxAsync(processed: false, ct) == 0, Timeout,
            () => "rows are still unprocessed", ct);
        await Task.Delay(500, ct);
        var received = await probe.DrainAsync(ct);
        received.Count.ShouldBe(own + foreign.Count);
        received.Select(m => m.MessageId).Distinct().Count().ShouldBe(own + foreign.Count);
    }

    internal static UserRegistered NewUser(string userName) =>
        new(Guid.CreateVersion7(), $"{userName}@example.test", userName, "First", "Last");
}
