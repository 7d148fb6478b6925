using System.Text.Json;
using Ahod.Messaging.Contracts;

namespace Ahod.Messaging.Tests.Contracts;

public sealed class ContractTests
{
    public static TheoryData<Type, string> RoutingKeys => new()
    {
        { typeof(UserRegistered), "user.registered" },
        { typeof(UserUpdated), "user.updated" },
        { typeof(UserErased), "user.erased" },
        { typeof(PaymentTransferPosted), "payment.transfer-posted" },
        { typeof(PaymentHoldPlaced), "payment.hold-placed" },
        { typeof(PaymentHoldReleased), "payment.hold-released" },
        { typeof(CommunityCreated), "community.created" },
        { typeof(CommunityMemberJoined), "community.member-joined" },
        { typeof(CommunityMemberLeft), "community.member-left" },
        { typeof(CommunityContributionDue), "community.contribution-due" },
        { typeof(CommunityPayoutMade), "community.payout-made" },
        { typeof(ListingRequestCreated), "listing.request-created" },
        { typeof(ListingRequestUpdated), "listing.request-updated" },
        { typeof(ChatMessageSent), "chat.message-sent" },
    };

    [Theory]
    [MemberData(nameof(RoutingKeys))]
    public void EveryEvent_HasItsProductRoutingKey(Type eventType, string routingKey) =>
        IntegrationEventNames.For(eventType).ShouldBe(routingKey);

    [Fact]
    public void EveryEventInTheAssembly_HasARoutingKey()
    {
        var eventTypes = typeof(IntegrationEvent).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(IntegrationEvent)) && !t.IsAbstract);
        eventTypes.Select(IntegrationEventNames.For).Count().ShouldBe(RoutingKeys.Count);
    }

    [Fact]
    public void Event_SerializesAsCamelCaseJson_AndRoundTrips()
    {
        var evt = new PaymentTransferPosted(Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7(), 1500, "USD", "transfer");

        var json = IntegrationEventSerializer.Serialize(evt);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        root.GetProperty("id").GetGuid().ShouldBe(evt.Id);
        root.GetProperty("amount").GetInt64().ShouldBe(1500);
        root.GetProperty("debitAccountId").GetGuid().ShouldBe(evt.DebitAccountId);
        root.GetProperty("version").GetInt32().ShouldBe(1);
        root.TryGetProperty("occurredAt", out _).ShouldBeTrue();
        IntegrationEventSerializer.Deserialize(System.Text.Encoding.UTF8.GetBytes(json), typeof(PaymentTransferPosted)).ShouldBe(evt);
    }
}
