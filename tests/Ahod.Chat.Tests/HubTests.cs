using System.Net;
using Ahod.Chat.Conversations;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Ahod.Chat.Tests;

/// <summary>The hub through the gateway's WebSocket route, with the official .NET SignalR client.</summary>
public sealed class HubTests(ChatAppFixture fixture)
{
    private readonly ChatApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SendMessage_DeliveredLiveToTheOther_StoredFirst_ResendDeliversNothingNew()
    {
        var (a, b, id) = await _api.PairAsync();
        await using var hubA = await _api.ConnectAsync(a);
        await using var hubB = await _api.ConnectAsync(b);
        var atB = new Inbox<MessageResponse>(hubB, HubEvents.Message);

        var sent = await hubA.InvokeAsync<MessageResponse>("SendMessage", id, "c-1", "hi Bob", Ct);
        sent.Seq.ShouldBe(1);
        (await atB.WaitForAsync(m => m.Id == sent.Id)).Text.ShouldBe("hi Bob");

        var again = await hubA.InvokeAsync<MessageResponse>("SendMessage", id, "c-1", "hi Bob", Ct);
        again.Id.ShouldBe(sent.Id);
        var next = await hubA.InvokeAsync<MessageResponse>("SendMessage", id, "c-2", "still there?", Ct);
        await atB.WaitForAsync(m => m.Id == next.Id);
        atB.Items.Count(m => m.Id == sent.Id).ShouldBe(1, "the resend was not delivered again");
        next.Seq.ShouldBe(2);

        (await _api.GetAsync(b, $"/api/conversations/{id}/messages")).GetProperty("items").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task ASocketThatDrops_ResumesTheSameConnectionThroughTheGateway_AndMissesNothing()
    {
        var (a, b, id) = await _api.PairAsync();
        var sockets = new DroppableSockets(b.Token);
        await using var hubB = await _api.ConnectAsync(b, sockets: sockets);

        // Three drops: each new socket reaches whichever replica the gateway's connection lands on, the owner or not.
        await _api.DropAndResumeAsync(a, b, id, hubB, sockets, drops: 3);
        sockets.Opened.ShouldAllBe(u => u.Port == fixture.Gateway.Port && u.Query.Contains("id="));
    }

    [Fact]
    public async Task TypingAndReceipts_ReachParticipantsOnly_StrangerCanNeitherSendNorSee()
    {
        var (a, b, id) = await _api.PairAsync();
        var eve = await _api.NewUserAsync("Eve");
        await using var hubA = await _api.ConnectAsync(a);
        await using var hubB = await _api.ConnectAsync(b);
        await using var hubEve = await _api.ConnectAsync(eve);
        var typingAtB = new Inbox<TypingEvent>(hubB, HubEvents.Typing);
        var readAtA = new Inbox<ReadEvent>(hubA, HubEvents.Read);
        var messagesAtB = new Inbox<MessageResponse>(hubB, HubEvents.Message);
        var eveMessages = new Inbox<MessageResponse>(hubEve, HubEvents.Message);
        var eveTyping = new Inbox<TypingEvent>(hubEve, HubEvents.Typing);
        var eveReads = new Inbox<ReadEvent>(hubEve, HubEvents.Read);

        await hubA.InvokeAsync("Typing", id, Ct);
        (await typingAtB.WaitForAsync(t => t.ConversationId == id)).UserId.ShouldBe(a.Id);

        var sent = await hubA.InvokeAsync<MessageResponse>("SendMessage", id, "m-1", "secret", Ct);
        (await hubB.InvokeAsync<long>("MarkRead", id, sent.Seq, Ct)).ShouldBe(1);
        var read = await readAtA.WaitForAsync(r => r.ConversationId == id && r.UserId == b.Id);
        read.Seq.ShouldBe(1);
        (await hubB.InvokeAsync<long>("MarkRead", id, 99L, Ct)).ShouldBe(1, "never past the last message");

        // Guessing the id gets the stranger nothing: each call is refused as for an unknown conversation.
        (await Should.ThrowAsync<HubException>(() => hubEve.InvokeAsync<MessageResponse>("SendMessage", id, "e-1", "let me in", Ct))).Message.ShouldContain("No conversation");
        await Should.ThrowAsync<HubException>(() => hubEve.InvokeAsync("Typing", id, Ct));
        await Should.ThrowAsync<HubException>(() => hubEve.InvokeAsync<long>("MarkRead", id, 1L, Ct));

        // A marker after everything above: once B has it, anything Eve could have been sent would have reached her too.
        var marker = await hubA.InvokeAsync<MessageResponse>("SendMessage", id, "m-2", "marker", Ct);
        await hubA.InvokeAsync("Typing", id, Ct);
        await messagesAtB.WaitForAsync(m => m.Id == marker.Id);
        await typingAtB.WaitForAsync(t => typingAtB.Items.Count >= 2);
        eveMessages.Items.ShouldBeEmpty();
        eveTyping.Items.ShouldBeEmpty();
        eveReads.Items.ShouldBeEmpty();
        (await _api.GetAsync(a, $"/api/conversations/{id}/messages")).GetProperty("items").GetArrayLength().ShouldBe(2);
    }

    [Fact]
    public async Task SendMessage_InvalidText_RefusedWithTheFieldAndNothingStored()
    {
        var (a, _, id) = await _api.PairAsync();
        await using var hub = await _api.ConnectAsync(a);
        (await Should.ThrowAsync<HubException>(() => hub.InvokeAsync<MessageResponse>("SendMessage", id, "x", new string('y', 4001), Ct))).Message.ShouldContain("text");
        (await Should.ThrowAsync<HubException>(() => hub.InvokeAsync<MessageResponse>("SendMessage", id, "x", "", Ct))).Message.ShouldContain("text");
        (await _api.GetAsync(a, $"/api/conversations/{id}/messages")).GetProperty("items").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Connect_WithoutOrWithBadToken_IsRefused()
    {
        await using var anonymous = ChatApi.Hub(fixture.Gateway, null);
        var refused = await Should.ThrowAsync<Exception>(() => anonymous.StartAsync(Ct));
        refused.Message.ShouldContain("401");

        var user = await _api.NewUserAsync();
        var tampered = user.Token[..^4] + (user.Token.EndsWith("AAAA", StringComparison.Ordinal) ? "BBBB" : "AAAA");
        await using var forged = ChatApi.Hub(fixture.Gateway, tampered);
        (await Should.ThrowAsync<Exception>(() => forged.StartAsync(Ct))).Message.ShouldContain("401");
    }

    // The hub validates the query-string token with the shared JWT setup, session revocation included.
    [Fact]
    public async Task Connect_WithSignedOutToken_IsRefused()
    {
        var user = await _api.NewUserAsync();
        using (var signout = await _api.SendAsync(HttpMethod.Post, "/api/auth/signout", user.Token))
        {
            signout.IsSuccessStatusCode.ShouldBeTrue(await signout.Content.ReadAsStringAsync(Ct));
        }

        using (var api = await _api.SendAsync(HttpMethod.Get, "/api/conversations", user.Token))
        {
            api.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        await using var hub = ChatApi.Hub(fixture.Gateway, user.Token);
        (await Should.ThrowAsync<Exception>(() => hub.StartAsync(Ct))).Message.ShouldContain("401");
    }

    [Fact]
    public async Task Presence_ContactsSeeMeComeAndGo_StrangersDoNot()
    {
        var (a, b, _) = await _api.PairAsync();
        var eve = await _api.NewUserAsync("Eve");
        await using var hubA = await _api.ConnectAsync(a);
        await using var hubEve = await _api.ConnectAsync(eve);
        var atA = new Inbox<PresenceEvent>(hubA, HubEvents.Presence);
        var atEve = new Inbox<PresenceEvent>(hubEve, HubEvents.Presence);

        var hubB = await _api.ConnectAsync(b);
        await atA.WaitForAsync(p => p.UserId == b.Id && p.Online);
        await hubB.DisposeAsync();
        await atA.WaitForAsync(p => p.UserId == b.Id && !p.Online);
        atEve.Items.ShouldNotContain(p => p.UserId == b.Id);
    }
}
