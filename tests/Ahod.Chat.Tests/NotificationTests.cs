using System.Net;
using System.Text.Json;
using Ahod.Chat.Conversations;
using Ahod.Chat.Data;
using Ahod.Chat.Notifications;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using System.Net.Http.Json;
using Ahod.Testing;
using static Ahod.Testing.Eventually;

namespace Ahod.Chat.Tests;

/// <summary>
/// Notifications made from integration events: Identity, Payments and Savings events come from their real flows;
/// events of services not in this app model yet (Marketplace) and the scheduler's are published through
/// Ahod.Messaging's outbox, as their service will publish them.
/// </summary>
public sealed class NotificationTests(ChatAppFixture fixture)
{
    private readonly ChatApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Publishes through the transactional outbox and relay (here: Chat's own database's outbox).</summary>
    private async Task PublishAsync(params IntegrationEvent[] events)
    {
        var options = new DbContextOptionsBuilder<ChatDbContext>().UseNpgsql(fixture.ChatDb);
        await using var db = new ChatDbContext(options.Options);
        foreach (var e in events)
        {
            db.AddIntegrationEvent(e);
        }

        await db.SaveChangesAsync(Ct);
    }

    [Fact]
    public async Task ListingRequest_NotifiesOwnerLive_OpensTheListingConversation_ChangesNotifyTheOtherParty()
    {
        var owner = await _api.NewUserAsync("Olga");
        var requester = await _api.NewUserAsync("Rami");
        await using var ownerHub = await _api.ConnectAsync(owner);
        var live = new Inbox<JsonElement>(ownerHub, HubEvents.Notification);

        var listingId = Guid.NewGuid();
        var requestId = Guid.NewGuid();
        var created = new ListingRequestCreated(requestId, listingId, "Math tutoring", owner.Id, requester.Id, "hire");
        await PublishAsync(created);

        var notification = (await _api.NotificationsAsync(owner, "listing.request")).Single();
        notification.GetProperty("data").GetProperty("requestId").GetGuid().ShouldBe(requestId);
        (await live.WaitForAsync(n => n.GetProperty("id").GetGuid() == notification.GetProperty("id").GetGuid()))
            .GetProperty("title").GetString().ShouldBe("New request");

        var conversationId = notification.GetProperty("data").GetProperty("conversationId").GetGuid();
        var conversation = await _api.GetAsync(requester, $"/api/conversations/{conversationId}");
        conversation.GetProperty("type").GetString().ShouldBe("listing");
        conversation.GetProperty("title").GetString().ShouldBe("Math tutoring");
        using (var same = await _api.SendAsync(HttpMethod.Post, "/api/conversations", requester.Token, new { type = "listing", listingId }))
        {
            same.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await ChatApi.ReadAsync(same)).GetProperty("id").GetGuid().ShouldBe(conversationId);
        }

        using (var own = await _api.SendAsync(HttpMethod.Post, "/api/conversations", owner.Token, new { type = "listing", listingId }))
        {
            own.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        }

        await PublishAsync(
            new ListingRequestUpdated(requestId, listingId, owner.Id, requester.Id, "accepted", null),
            new ListingRequestUpdated(requestId, listingId, owner.Id, requester.Id, "cancelled", "plans changed"));
        (await _api.NotificationsAsync(requester, "listing.request-updated")).Single().GetProperty("data").GetProperty("status").GetString().ShouldBe("accepted");
        (await _api.NotificationsAsync(owner, "listing.request-updated")).Single().GetProperty("body").GetString()!.ShouldContain("plans changed");
    }

    [Fact]
    public async Task SameEventDeliveredTwice_NotifiesOnce()
    {
        var user = await _api.NewUserAsync();
        var due = new CommunityContributionDue(Guid.NewGuid(), 3, user.Id, 2_500, "USD", DateTimeOffset.UtcNow.AddDays(2));
        await PublishAsync(due);
        await _api.NotificationsAsync(user, "community.contribution-due");

        // The relay publishes an outbox row again when it is there again: a redelivery with the same event id.
        var options = new DbContextOptionsBuilder<ChatDbContext>().UseNpgsql(fixture.ChatDb);
        await using (var db = new ChatDbContext(options.Options))
        {
            await db.Database.ExecuteSqlAsync($"DELETE FROM outbox_messages WHERE id = {due.Id}", Ct);
        }

        await PublishAsync(due);
        // A later event through the same queue: once it is in, the redelivery before it has been handled too.
        await PublishAsync(new CommunityPayoutMade(Guid.NewGuid(), 3, user.Id, Guid.NewGuid(), 10_000, "USD"));
        await _api.NotificationsAsync(user, "community.payout");

        var dues = await _api.NotificationsAsync(user, "community.contribution-due");
        dues.Count.ShouldBe(1);
        dues[0].GetProperty("body").GetString()!.ShouldContain("25.00 USD");
    }

    [Fact]
    public async Task Deposit_NotifiesMoneyReceived_ThroughPaymentsRealEvent_AndReadMarksWork()
    {
        var user = await _api.NewVerifiedUserAsync();
        var walletId = await EventuallyAsync<Guid?>(async () =>
        {
            var wallets = await _api.GetAsync(user, "/api/payments/accounts");
            return wallets.EnumerateArray().Select(w => (Guid?)w.GetProperty("id").GetGuid()).FirstOrDefault();
        }, TimeSpan.FromSeconds(30), "the wallet", TestContext.Current.CancellationToken);
        using (var deposit = await _api.Client.SendApiAsync(HttpMethod.Post, "/api/payments/deposit", user.Token,
                   new { accountId = walletId, amount = new { amount = 4_200, currency = "USD" }, source = new { type = "card", token = "tok_sandbox_success" } },
                   Guid.NewGuid().ToString(), Ct))
        {
            deposit.IsSuccessStatusCode.ShouldBeTrue(await deposit.Content.ReadAsStringAsync(Ct));
        }

        var received = (await _api.NotificationsAsync(user, "payment.received")).Single();
        received.GetProperty("data").GetProperty("amount").GetProperty("amount").GetInt64().ShouldBe(4_200);

        var inbox = await _api.GetAsync(user, "/api/notifications");
        inbox.GetProperty("unreadCount").GetInt32().ShouldBeGreaterThan(0);
        var stranger = await _api.NewUserAsync();
        using (var notMine = await _api.SendAsync(HttpMethod.Post, $"/api/notifications/{received.GetProperty("id").GetGuid()}/read", stranger.Token))
        {
            notMine.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        using (var read = await _api.SendAsync(HttpMethod.Post, $"/api/notifications/{received.GetProperty("id").GetGuid()}/read", user.Token))
        {
            read.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        using (var all = await _api.SendAsync(HttpMethod.Post, "/api/notifications/read-all", user.Token))
        {
            all.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        (await _api.GetAsync(user, "/api/notifications")).GetProperty("unreadCount").GetInt32().ShouldBe(0);
    }

    [Fact]
    public async Task Community_ConversationFollowsMembership_MembersHearOfNewcomers()
    {
        var admin = await _api.NewUserAsync("Ana");
        var member = await _api.NewUserAsync("Ben");
        using var create = await _api.SendAsync(HttpMethod.Post, "/api/communities", admin.Token, new
        {
            name = $"Circle {Guid.NewGuid().ToString("N")[..6]}",
            bio = "Paying off our student loans together.",
            goal = new { amount = 1_000_000, currency = "USD" },
            contribution = new { amount = 1_000, currency = "USD" },
            frequency = "monthly",
            payoutMethod = "rotation",
            maxMembers = 10,
            isPrivate = true,
        });
        create.StatusCode.ShouldBe(HttpStatusCode.Created, await create.Content.ReadAsStringAsync(Ct));
        var community = await ChatApi.ReadAsync(create);
        var communityId = community.GetProperty("id").GetGuid();
        using (var join = await _api.SendAsync(HttpMethod.Post, $"/api/communities/{communityId}/join", member.Token, new { inviteCode = community.GetProperty("inviteCode").GetString() }))
        {
            join.StatusCode.ShouldBe(HttpStatusCode.Created, await join.Content.ReadAsStringAsync(Ct));
        }

        var joined = (await _api.NotificationsAsync(admin, "community.member-joined")).Single();
        var conversationId = joined.GetProperty("data").GetProperty("conversationId").GetGuid();
        var conversation = await _api.GetAsync(member, $"/api/conversations/{conversationId}");
        conversation.GetProperty("type").GetString().ShouldBe("community");
        conversation.GetProperty("title").GetString().ShouldBe(community.GetProperty("name").GetString());
        conversation.GetProperty("participants").EnumerateArray().Select(p => p.GetGuid()).Order().ShouldBe(new[] { admin.Id, member.Id }.Order());
        await _api.PostMessageAsync(member, conversationId, "hello circle");

        using (var leave = await _api.SendAsync(HttpMethod.Post, $"/api/communities/{communityId}/leave", member.Token, new { }))
        {
            leave.IsSuccessStatusCode.ShouldBeTrue(await leave.Content.ReadAsStringAsync(Ct));
        }

        await EventuallyAsync<object>(async () =>
        {
            using var response = await _api.SendAsync(HttpMethod.Get, $"/api/conversations/{conversationId}", member.Token);
            return response.StatusCode == HttpStatusCode.NotFound ? new object() : null;
        }, TimeSpan.FromSeconds(30), "the member who left to lose access", TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task MemberJoined_HandledOutOfOrder_TheEarlierMemberStillHearsOfTheLaterOne_Once()
    {
        var earlier = await _api.NewUserAsync("Ada");
        var later = await _api.NewUserAsync("Bo");
        var communityId = Guid.NewGuid();
        var at = DateTimeOffset.UtcNow;

        // The later join is handled first (as a second replica or a retry can make it happen), then the earlier one.
        await PublishAsync(new CommunityMemberJoined(communityId, later.Id) { OccurredAt = at.AddSeconds(1) });
        await EventuallyAsync(async () => await ParticipantsAsync(communityId) == 1 ? new object() : null,
            TimeSpan.FromSeconds(60), "the later join to be handled", Ct);
        await PublishAsync(new CommunityMemberJoined(communityId, earlier.Id) { OccurredAt = at });

        var heard = (await _api.NotificationsAsync(earlier, NotificationTypes.MemberJoined)).Single();
        heard.GetProperty("data").GetProperty("userId").GetGuid().ShouldBe(later.Id);
        heard.GetProperty("body").GetString()!.ShouldStartWith("Bo ");
        (await ParticipantsAsync(communityId)).ShouldBe(2);
        var page = await _api.GetAsync(later, "/api/notifications?limit=100");
        page.GetProperty("items").EnumerateArray().Count(n => n.GetProperty("type").GetString() == NotificationTypes.MemberJoined)
            .ShouldBe(0, "Bo joined after Ada: nobody tells Bo that Ada joined");
    }

    private async Task<int> ParticipantsAsync(Guid communityId)
    {
        var options = new DbContextOptionsBuilder<ChatDbContext>().UseNpgsql(fixture.ChatDb);
        await using var db = new ChatDbContext(options.Options);
        var key = ConversationStore.CommunityKey(communityId);
        return await db.Participants.CountAsync(p => p.LeftAt == null && db.Conversations.Any(c => c.Id == p.ConversationId && c.Key == key), Ct);
    }

    [Fact]
    public async Task MessageWhileOffline_BecomesANotification_OnlineItDoesNot()
    {
        var (a, b, id) = await _api.PairAsync();
        await _api.PostMessageAsync(a, id, "hello");
        var sent = await _api.PostMessageAsync(a, id, "are you there?");
        var offline = (await _api.NotificationsAsync(b, "chat.message", count: 2)).Single(n => n.GetProperty("body").GetString() == "are you there?");
        // The event carries the message's place in the conversation, taken under the conversation's lock with it.
        var data = offline.GetProperty("data");
        data.GetProperty("seq").GetInt64().ShouldBe(2);
        data.GetProperty("messageId").GetGuid().ShouldBe(sent.GetProperty("id").GetGuid());
        data.GetProperty("conversationId").GetGuid().ShouldBe(id);

        await using var hubA = await _api.ConnectAsync(a);
        var presenceAtA = new Inbox<PresenceEvent>(hubA, HubEvents.Presence);
        await using var hubB = await _api.ConnectAsync(b);
        var live = new Inbox<MessageResponse>(hubB, HubEvents.Message);
        // Online once the presence is recorded (a client's start can complete just before that).
        await presenceAtA.WaitForAsync(p => p.UserId == b.Id && p.Online);
        var online = await _api.PostMessageAsync(a, id, "now you are");
        await live.WaitForAsync(m => m.Id == online.GetProperty("id").GetGuid());
        // A later offline user's notification proves the event after it was handled.
        var c = await _api.NewUserAsync();
        var withC = (await EventuallyAsync<Guid?>(async () =>
        {
            using var response = await _api.SendAsync(HttpMethod.Post, "/api/conversations", a.Token, new { type = "direct", userId = c.Id });
            return response.StatusCode == HttpStatusCode.Created ? (await ChatApi.ReadAsync(response)).GetProperty("id").GetGuid() : null;
        }, TimeSpan.FromSeconds(30), "Chat to learn of the user", TestContext.Current.CancellationToken))!.Value;
        await _api.PostMessageAsync(a, withC, "marker");
        await _api.NotificationsAsync(c, "chat.message");
        (await _api.NotificationsAsync(b, "chat.message")).Count.ShouldBe(2, "the two sent while b was offline, not the one b saw live");
    }

    [Fact]
    public async Task Gdpr_ExportHasMyMessages_ErasureBlanksThemAndShowsDeletedUser()
    {
        var (a, b, id) = await _api.PairAsync();
        await _api.PostMessageAsync(a, id, "my words");
        await _api.PostMessageAsync(b, id, "their words");

        using var internalChat = fixture.CreateInternalClient("chat");
        var export = await internalChat.GetFromJsonAsync<JsonElement>($"/internal/gdpr/users/{a.Id}", Ct);
        export.GetProperty("service").GetString().ShouldBe("chat");
        export.GetProperty("data").GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()).ShouldBe(["my words"]);
        export.GetProperty("data").GetProperty("conversations").EnumerateArray().Single().GetProperty("id").GetGuid().ShouldBe(id);

        using (var erase = await _api.SendAsync(HttpMethod.Delete, "/api/users/me", a.Token, new { password = ChatApi.Password }))
        {
            erase.IsSuccessStatusCode.ShouldBeTrue(await erase.Content.ReadAsStringAsync(Ct));
        }

        await EventuallyAsync<object>(async () =>
        {
            var history = await _api.GetAsync(b, $"/api/conversations/{id}/messages");
            return history.GetProperty("items").EnumerateArray().Any(m => m.GetProperty("senderId").GetGuid() == a.Id && m.GetProperty("text").GetString() == "") ? new object() : null;
        }, TimeSpan.FromSeconds(30), "the erased user's text to go", TestContext.Current.CancellationToken);
        var conversation = await _api.GetAsync(b, $"/api/conversations/{id}");
        conversation.GetProperty("title").GetString().ShouldBe("deleted user");
        (await _api.GetAsync(b, $"/api/conversations/{id}/messages")).GetProperty("items").EnumerateArray()
            .Single(m => m.GetProperty("senderId").GetGuid() == b.Id).GetProperty("text").GetString().ShouldBe("their words");
    }
}
