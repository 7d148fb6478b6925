using System.Diagnostics;
using System.Text;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Inbox;
using Ahod.Messaging.Outbox;
using Ahod.Messaging.RabbitMq;
using Ahod.Messaging.Tests.Infrastructure;
using Ahod.Messaging.Tests.Outbox;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using static Ahod.Testing.Eventually;

namespace Ahod.Messaging.Tests.Consumers;

public sealed class ConsumerTests(MessagingFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConsumerStartedBeforeTheBrokerListens_ListensWithinAboutASecondOfIt()
    {
        // A service starts while RabbitMQ is still booting (it does not wait for the broker). Its consumer keeps trying,
        // at most StartMaxBackoff (1 s) apart. With Aspire's own connect retries (1, 2, 4, 8, 16 s apart, the resolving
        // thread waiting in between) the next attempt after the broker opened 8 s in would have come about 7 s later.
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        await using var broker = new LateListener(new Uri(fixture.RabbitMqConnectionString));
        var opened = Stopwatch.StartNew();
        var opening = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(8), ct);
            broker.Listen();
            opened.Restart();
        }, ct);

        await test.StartHostAsync(relay: false, consumer: true, ct, rabbitMq: broker.Address);

        await opening;
        opened.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5), "from the broker listening to the consumer listening");
        var evt = OutboxTests.NewUser("late-broker");
        await PublishAsync(test, evt, ct);
        await WaitForHandledAsync(test, evt.Id, ct);
    }

    [Fact]
    public async Task EventNoLongerHandled_StopsArrivingOnceTheNewVersionStarts()
    {
        // An earlier version of the service handled chat.message-sent: its durable queue is still bound to it.
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        var old = await test.StartHostAsync(relay: false, consumer: true, ct);
        var dropped = IntegrationEventNames.For<ChatMessageSent>();
        var channel = await test.OpenChannelAsync(ct);
        await channel.QueueBindAsync(test.ServiceName, test.Exchange, dropped, cancellationToken: ct);
        await channel.CloseAsync(ct);
        await old.StopAsync(ct);

        // The current version (handling user.registered only) starts; it listens once its topology is declared.
        await test.StartHostAsync(relay: false, consumer: true, ct);

        // The broker has nowhere to route the dropped event (a mandatory publish comes back), so nothing is dead-lettered.
        await Should.ThrowAsync<PublishReturnException>(() => PublishRawAsync(test, dropped, Guid.CreateVersion7().ToString(), "{}"u8.ToArray(), ct));
        var sentinel = OutboxTests.NewUser("after-upgrade");
        await PublishAsync(test, sentinel, ct);
        await WaitForHandledAsync(test, sentinel.Id, ct);
        await test.WaitForQueueEmptyAsync(ct);
        (await DeadLetters(test).DrainAsync(ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SameEventDeliveredTwice_IsHandledOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        await test.StartHostAsync(relay: false, consumer: true, ct);
        var duplicate = OutboxTests.NewUser("twice");
        var sentinel = OutboxTests.NewUser("sentinel");

        await PublishAsync(test, duplicate, ct);
        await PublishAsync(test, duplicate, ct);
        await PublishAsync(test, sentinel, ct);

        // One consumer handles in order, so once the sentinel is handled both copies have been seen.
        await WaitForHandledAsync(test, sentinel.Id, ct);
        await test.WaitForQueueEmptyAsync(ct);
        test.Script.InvocationsOf(duplicate.Id).ShouldBe(1);
        await using var db = test.NewDbContext();
        (await db.HandledEvents.CountAsync(h => h.EventId == duplicate.Id, ct)).ShouldBe(1);
        (await db.Set<InboxMessage>().SingleAsync(i => i.EventId == duplicate.Id, ct)).Consumer.ShouldBe(test.ServiceName);
        // The second copy was skipped, not failed: nothing was dead-lettered.
        (await DeadLetters(test).DrainAsync(ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task HandlerThatThrows_IsRetriedWithDelay_ThenSucceedsOnce()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        test.Script.Fail = (_, invocation) => invocation <= 2;
        await test.StartHostAsync(relay: false, consumer: true, ct);
        var evt = OutboxTests.NewUser("flaky");

        await PublishAsync(test, evt, ct);

        await WaitForHandledAsync(test, evt.Id, ct);
        test.Script.InvocationsOf(evt.Id).ShouldBe(3);
        await using var db = test.NewDbContext();
        (await db.HandledEvents.CountAsync(h => h.EventId == evt.Id, ct)).ShouldBe(1);
        (await DeadLetters(test).DrainAsync(ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task HandlerThatAlwaysThrows_EndsInDeadLetterQueueWithTheError_AfterMaxAttempts()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        test.Script.Fail = (_, _) => true;
        await test.StartHostAsync(relay: false, consumer: true, ct);
        var evt = OutboxTests.NewUser("poison");

        await PublishAsync(test, evt, ct);

        var deadLetters = DeadLetters(test);
        var dead = (await deadLetters.WaitForAsync(1, Timeout, ct)).Single();
        dead.MessageId.ShouldBe(evt.Id.ToString());
        dead.Header(MessageHeaders.DeadLetterReason).ShouldBe("handler-failed");
        dead.Header(MessageHeaders.Attempt).ShouldBe("3");
        dead.Header(MessageHeaders.ErrorType).ShouldBe(typeof(InvalidOperationException).FullName);
        dead.Header(MessageHeaders.ErrorMessage).ShouldBe("Scripted failure 3 for poison");
        test.Script.InvocationsOf(evt.Id).ShouldBe(3);
        await test.WaitForQueueEmptyAsync(ct);
        await using var db = test.NewDbContext();
        (await db.Set<InboxMessage>().AnyAsync(i => i.EventId == evt.Id, ct)).ShouldBeFalse();
        (await db.HandledEvents.AnyAsync(ct)).ShouldBeFalse();
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"id\":\"0197a3c2-0000-7000-8000-000000000001\",\"userName\":\"no-user-id\"}")]
    public async Task MalformedMessage_GoesStraightToDeadLetterQueue_WithoutRunningTheHandler(string body)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        await test.StartHostAsync(relay: false, consumer: true, ct);

        await PublishRawAsync(test, "user.registered", Guid.CreateVersion7().ToString(), Encoding.UTF8.GetBytes(body), ct);

        var dead = (await DeadLetters(test).WaitForAsync(1, Timeout, ct)).Single();
        dead.Body.ShouldBe(body);
        dead.Header(MessageHeaders.DeadLetterReason).ShouldBe("malformed");
        dead.Header(MessageHeaders.Attempt).ShouldBe("1");
        test.Script.Invocations.ShouldBeEmpty();
        await test.WaitForQueueEmptyAsync(ct);
    }

    [Fact]
    public async Task OutboxToConsumer_EndToEnd_HandlesTheCommittedEvent()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var test = await MessagingTestContext.CreateAsync(fixture, ct);
        await test.StartHostAsync(relay: true, consumer: true, ct);
        var evt = OutboxTests.NewUser("roundtrip");

        await using (var db = test.NewDbContext())
        {
            db.AddIntegrationEvent(evt);
            await db.SaveChangesAsync(ct);
        }

        await WaitForHandledAsync(test, evt.Id, ct);
        await using var check = test.NewDbContext();
        (await check.HandledEvents.SingleAsync(h => h.EventId == evt.Id, ct)).UserName.ShouldBe("roundtrip");
    }

    private static ProbeQueue DeadLetters(MessagingTestContext test) => new(test, Topology.DeadLetterQueue(test.ServiceName));

    private static Task PublishAsync(MessagingTestContext test, UserRegistered evt, CancellationToken ct) =>
        PublishRawAsync(test, "user.registered", evt.Id.ToString(), Encoding.UTF8.GetBytes(IntegrationEventSerializer.Serialize(evt)), ct);

    private static async Task PublishRawAsync(MessagingTestContext test, string type, string messageId, byte[] body, CancellationToken ct)
    {
        var channel = await test.OpenChannelAsync(ct);
        var properties = new BasicProperties { MessageId = messageId, Type = type, DeliveryMode = DeliveryModes.Persistent };
        await channel.BasicPublishAsync(test.Exchange, type, mandatory: true, properties, body, ct);
        await channel.CloseAsync(ct);
    }

    private static Task WaitForHandledAsync(MessagingTestContext test, Guid eventId, CancellationToken ct) =>
        EventuallyAsync(async () =>
        {
            await using var db = test.NewDbContext();
            return await db.HandledEvents.AnyAsync(h => h.EventId == eventId, ct);
        }, Timeout, () => $"event {eventId} was not handled", ct);
}
