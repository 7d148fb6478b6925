using System.Net;
using System.Text.Json;
using Ahod.Chat.Notifications;
using static Ahod.Testing.Eventually;

namespace Ahod.Chat.Tests;

/// <summary>Conversations and messages over HTTP through the gateway, with the unhappy paths.</summary>
public sealed class ConversationTests(ChatAppFixture fixture)
{
    private readonly ChatApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Direct_OnePerPair_FromEitherSideReturnsTheSameWith200()
    {
        var (a, b, id) = await _api.PairAsync();

        using var again = await _api.SendAsync(HttpMethod.Post, "/api/conversations", b.Token, new { type = "direct", userId = a.Id });
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        var conversation = await ChatApi.ReadAsync(again);
        conversation.GetProperty("id").GetGuid().ShouldBe(id);
        conversation.GetProperty("type").GetString().ShouldBe("direct");
        conversation.GetProperty("participants").EnumerateArray().Select(p => p.GetGuid()).Order().ShouldBe(new[] { a.Id, b.Id }.Order());
        conversation.GetProperty("title").GetString().ShouldBe("Ada Tester");
        again.Headers.CacheControl?.NoStore.ShouldBeTrue();
    }

    [Fact]
    public async Task Create_BadInput_Returns400WithFieldErrors_UnknownUser404_NoToken401()
    {
        var a = await _api.NewUserAsync();
        foreach (var (body, field) in new (object, string)[]
                 {
                     (new { type = "direct" }, "userId"),
                     (new { type = "direct", userId = a.Id }, "userId"),
                     (new { type = "group" }, "type"),
                     (new { type = "listing" }, "listingId"),
                 })
        {
            using var response = await _api.SendAsync(HttpMethod.Post, "/api/conversations", a.Token, body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await ChatApi.ReadProblemAsync(response)).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue(field);
        }

        using (var wrongType = await _api.SendAsync(HttpMethod.Post, "/api/conversations", a.Token, """{ "type": "direct", "userId": 42 }"""))
        {
            wrongType.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        using (var unknown = await _api.SendAsync(HttpMethod.Post, "/api/conversations", a.Token, new { type = "direct", userId = Guid.NewGuid() }))
        {
            unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        using (var anonymous = await _api.SendAsync(HttpMethod.Get, "/api/conversations", null))
        {
            anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await _api.GetAsync(a, "/api/conversations")).GetProperty("items").GetArrayLength().ShouldBe(0, "nothing was created");
    }

    [Fact]
    public async Task Stranger_CannotReadSendOrMarkRead_SeesNotFound()
    {
        var (a, _, id) = await _api.PairAsync();
        await _api.PostMessageAsync(a, id, "private words");
        var stranger = await _api.NewUserAsync("Eve");

        foreach (var (method, path, body) in new (HttpMethod, string, object?)[]
                 {
                     (HttpMethod.Get, $"/api/conversations/{id}", null),
                     (HttpMethod.Get, $"/api/conversations/{id}/messages", null),
                     (HttpMethod.Post, $"/api/conversations/{id}/messages", new { clientMessageId = "x", text = "let me in" }),
                     (HttpMethod.Post, $"/api/conversations/{id}/read", new { seq = 1 }),
                 })
        {
            using var response = await _api.SendAsync(method, path, stranger.Token, body);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, $"{method} {path}");
        }

        var history = await _api.GetAsync(a, $"/api/conversations/{id}/messages");
        history.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("text").GetString()).ShouldBe(["private words"]);
    }

    [Fact]
    public async Task Send_ResendWithSameClientMessageId_ReturnsTheFirstAndStoresNothingNew()
    {
        var (a, _, id) = await _api.PairAsync();
        var clientId = Guid.NewGuid().ToString();
        var first = await _api.PostMessageAsync(a, id, "hello", clientId);
        var resend = await _api.PostMessageAsync(a, id, "hello (resent)", clientId, HttpStatusCode.OK);

        resend.GetProperty("id").GetGuid().ShouldBe(first.GetProperty("id").GetGuid());
        resend.GetProperty("seq").GetInt64().ShouldBe(1);
        resend.GetProperty("text").GetString().ShouldBe("hello");
        (await _api.GetAsync(a, $"/api/conversations/{id}/messages")).GetProperty("items").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Send_TextOutside1To4000Characters_Returns400AndStoresNothing()
    {
        var (a, _, id) = await _api.PairAsync();
        foreach (var text in new[] { "", "   ", new string('x', 4001) })
        {
            using var response = await _api.SendAsync(HttpMethod.Post, $"/api/conversations/{id}/messages", a.Token, new { clientMessageId = Guid.NewGuid().ToString(), text });
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
            (await ChatApi.ReadProblemAsync(response)).GetProperty("errors").TryGetProperty("text", out _).ShouldBeTrue();
        }

        using (var noClientId = await _api.SendAsync(HttpMethod.Post, $"/api/conversations/{id}/messages", a.Token, new { text = "hi" }))
        {
            (await ChatApi.ReadProblemAsync(noClientId)).GetProperty("errors").TryGetProperty("clientMessageId", out _).ShouldBeTrue();
        }

        (await _api.PostMessageAsync(a, id, new string('x', 4000))).GetProperty("seq").GetInt64().ShouldBe(1, "4,000 is allowed and no seq was used up");
    }

    [Fact]
    public async Task Send_SameClientMessageIdAtOnce_StoresOneMessage_NotifiesOnce_AndUsesUpNoSeq()
    {
        var (a, b, id) = await _api.PairAsync();
        var clientId = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            using var response = await _api.SendAsync(HttpMethod.Post, $"/api/conversations/{id}/messages", a.Token, new { clientMessageId = clientId, text = $"try {i}" });
            return (response.StatusCode, Body: await ChatApi.ReadAsync(response));
        }));

        answers.Count(r => r.StatusCode == HttpStatusCode.Created).ShouldBe(1, "one send stored it; the others are resends");
        answers.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.OK);
        answers.Select(r => r.Body.GetProperty("id").GetGuid()).Distinct().ShouldHaveSingleItem();
        answers.ShouldAllBe(r => r.Body.GetProperty("seq").GetInt64() == 1);
        // b is offline: the notification is stored with the message, in its statement, so it is there by now, once.
        var inbox = await _api.GetAsync(b, "/api/notifications?limit=100");
        inbox.GetProperty("items").EnumerateArray().Count(n => n.GetProperty("type").GetString() == NotificationTypes.NewMessage)
            .ShouldBe(1, "told once, not once per resend");
        (await _api.PostMessageAsync(a, id, "next")).GetProperty("seq").GetInt64().ShouldBe(2, "no seq was used up by the resends");
    }

    [Fact]
    public async Task ConcurrentSenders_SeqIsGapFreeAndUniqueInTheConversation()
    {
        var (a, b, id) = await _api.PairAsync();
        const int each = 25;
        var sends = new[] { a, b }.SelectMany(user => Enumerable.Range(0, each).Select(i => _api.PostMessageAsync(user, id, $"{user.Id} #{i}"))).ToList();
        var sent = await Task.WhenAll(sends);

        sent.Select(m => m.GetProperty("seq").GetInt64()).Order().ShouldBe(Enumerable.Range(1, 2 * each).Select(i => (long)i));
        var history = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await _api.GetAsync(a, $"/api/conversations/{id}/messages?limit=20" + (cursor is null ? "" : $"&cursor={cursor}"));
            history.AddRange(page.GetProperty("items").EnumerateArray());
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        history.Select(m => m.GetProperty("seq").GetInt64()).ShouldBe(Enumerable.Range(1, 2 * each).Reverse().Select(i => (long)i), "newest first, no gaps, no repeats");
        var before = await _api.GetAsync(a, $"/api/conversations/{id}/messages?before=11&limit=5");
        before.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("seq").GetInt64()).ShouldBe([10L, 9, 8, 7, 6]);
    }

    [Fact]
    public async Task List_MostRecentFirst_WithLastMessageAndMyUnreadCount()
    {
        var (a, b, first) = await _api.PairAsync();
        var c = await _api.NewUserAsync("Cy");
        var second = (await EventuallyAsync<Guid?>(async () =>
        {
            using var response = await _api.SendAsync(HttpMethod.Post, "/api/conversations", a.Token, new { type = "direct", userId = c.Id });
            return response.StatusCode == HttpStatusCode.Created ? (await ChatApi.ReadAsync(response)).GetProperty("id").GetGuid() : null;
        }, TimeSpan.FromSeconds(30), "Chat to learn of the user", TestContext.Current.CancellationToken))!.Value;
        await _api.PostMessageAsync(c, second, "from cy");
        await _api.PostMessageAsync(b, first, "one");
        await _api.PostMessageAsync(b, first, "two");

        var list = (await _api.GetAsync(a, "/api/conversations")).GetProperty("items").EnumerateArray().ToList();
        list.Select(x => x.GetProperty("id").GetGuid()).ShouldBe([first, second]);
        list[0].GetProperty("lastMessage").GetProperty("text").GetString().ShouldBe("two");
        list[0].GetProperty("unread").GetInt64().ShouldBe(2);
        list[1].GetProperty("unread").GetInt64().ShouldBe(1);

        using (var read = await _api.SendAsync(HttpMethod.Post, $"/api/conversations/{first}/read", a.Token, new { seq = 1 }))
        {
            read.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var one = await _api.GetAsync(a, $"/api/conversations/{first}");
        one.GetProperty("unread").GetInt64().ShouldBe(1);
        one.GetProperty("readUpTo").GetProperty(a.Id.ToString()).GetInt64().ShouldBe(1);
        one.GetProperty("readUpTo").GetProperty(b.Id.ToString()).GetInt64().ShouldBe(2, "sending is reading");

        var paged = await _api.GetAsync(a, "/api/conversations?limit=1");
        var next = paged.GetProperty("nextCursor").GetString()!;
        (await _api.GetAsync(a, $"/api/conversations?limit=1&cursor={next}")).GetProperty("items")[0].GetProperty("id").GetGuid().ShouldBe(second);
    }
}
