using Ahod.Chat.Conversations;
using Microsoft.AspNetCore.SignalR.Client;

namespace Ahod.Chat.Tests;

/// <summary>Chat runs two replicas; the Redis backplane carries pushes between them.</summary>
public sealed class ReplicaTests(ChatAppFixture fixture)
{
    private readonly ChatApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UsersOnDifferentReplicas_ReceiveEachOthersMessagesTypingAndReceipts()
    {
        var replicas = fixture.App.InstanceEndpoints("chat");
        replicas.Count.ShouldBe(2);
        replicas[0].ShouldNotBe(replicas[1]);

        var (a, b, id) = await _api.PairAsync();
        await using var hubA = await _api.ConnectAsync(a, replicas[0]);
        await using var hubB = await _api.ConnectAsync(b, replicas[1]);
        var messagesAtA = new Inbox<MessageResponse>(hubA, HubEvents.Message);
        var messagesAtB = new Inbox<MessageResponse>(hubB, HubEvents.Message);
        var typingAtA = new Inbox<TypingEvent>(hubA, HubEvents.Typing);
        var readAtA = new Inbox<ReadEvent>(hubA, HubEvents.Read);

        var fromA = await hubA.InvokeAsync<MessageResponse>("SendMessage", id, "a-1", "across replicas", Ct);
        (await messagesAtB.WaitForAsync(m => m.Id == fromA.Id)).Text.ShouldBe("across replicas");

        await hubB.InvokeAsync("Typing", id, Ct);
        await typingAtA.WaitForAsync(t => t.UserId == b.Id);
        var fromB = await hubB.InvokeAsync<MessageResponse>("SendMessage", id, "b-1", "and back", Ct);
        await messagesAtA.WaitForAsync(m => m.Id == fromB.Id);
        await hubB.InvokeAsync<long>("MarkRead", id, fromA.Seq, Ct);
        await readAtA.WaitForAsync(r => r.UserId == b.Id);
    }

    [Fact]
    public async Task ManyMessagesFromTwoReplicas_ArriveInSeqOrderPerConversation()
    {
        var replicas = fixture.App.InstanceEndpoints("chat");
        var (a, b, id) = await _api.PairAsync();
        await using var hubA = await _api.ConnectAsync(a, replicas[0]);
        await using var hubB = await _api.ConnectAsync(b, replicas[1]);
        var atB = new Inbox<MessageResponse>(hubB, HubEvents.Message);

        const int count = 30;
        for (var i = 0; i < count; i++)
        {
            await hubA.InvokeAsync<MessageResponse>("SendMessage", id, $"o-{i}", $"#{i}", Ct);
        }

        await atB.WaitForAsync(_ => atB.Items.Count(m => m.ConversationId == id) >= count);
        atB.Items.Where(m => m.ConversationId == id).Select(m => m.Seq).ShouldBe(Enumerable.Range(1, count).Select(i => (long)i));
    }

    [Fact]
    public async Task AConnectionNegotiatedOnOneReplica_IsServedAndResumedThroughTheOther()
    {
        var replicas = fixture.App.InstanceEndpoints("chat");
        var (a, b, id) = await _api.PairAsync();
        // Negotiated on replica 0; every WebSocket of the connection reaches replica 1, which forwards it to the owner.
        var sockets = new DroppableSockets(b.Token, retarget: replicas[1]);
        await using var hubB = await _api.ConnectAsync(b, replicas[0], sockets);
        sockets.Opened.ShouldHaveSingleItem().Port.ShouldBe(replicas[1].Port);

        await _api.DropAndResumeAsync(a, b, id, hubB, sockets, drops: 2);
        sockets.Opened.ShouldAllBe(u => u.Port == replicas[1].Port);
    }
}
