using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using Ahod.Chat.Conversations;
using Ahod.Testing;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;
using static Ahod.Testing.Eventually;

namespace Ahod.Chat.Tests;

public sealed record TestUser(Guid Id, string Email, string Token);

/// <summary>Calls the public API through the gateway like the web app does, and opens hub connections like its SignalR client.</summary>
public sealed class ChatApi(ChatAppFixture fixture)
{
    public const string Password = TestAccounts.Password;

    /// <summary>Two minutes, not the harness's 30 s: on a shared two-core machine one sign-up (a deliberate KDF) can take that long.</summary>
    public HttpClient Client { get; } = WithTimeout(fixture.CreateClient());

    private static HttpClient WithTimeout(HttpClient client)
    {
        client.Timeout = TimeSpan.FromMinutes(2);
        return client;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A new account; waits until Chat has its profile (user.registered), so direct conversations with it can start.</summary>
    public async Task<TestUser> NewUserAsync(string firstName = "Chat")
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        var email = $"chat.{id}@ahod.test";
        using var signup = await Client.PostAsJsonAsync("/api/auth/signup",
            new { email, password = Password, passwordConfirmation = Password, userName = $"c_{id}", firstName, lastName = "Tester" }, Ct);
        signup.StatusCode.ShouldBe(HttpStatusCode.Created, await signup.Content.ReadAsStringAsync(Ct));
        var auth = await signup.Content.ReadFromJsonAsync<JsonElement>(Ct);
        return new TestUser(auth.GetProperty("user").GetProperty("id").GetGuid(), email, auth.GetProperty("accessToken").GetString()!);
    }

    /// <summary>A new account whose email is verified (Payments moves money only for those), signed in again after verifying.</summary>
    public async Task<TestUser> NewVerifiedUserAsync()
    {
        var user = await NewUserAsync();
        var token = await TestAccounts.ReadVerificationTokenAsync(fixture.MailDirectory, user.Email, TimeSpan.FromSeconds(30), Ct);
        using (var verify = await Client.PostAsJsonAsync("/api/auth/verify-email", new { email = user.Email, token }, Ct))
        {
            verify.IsSuccessStatusCode.ShouldBeTrue(await verify.Content.ReadAsStringAsync(Ct));
        }

        var (_, accessToken) = await TestAccounts.SignInAsync(Client, user.Email, Ct);
        return user with { Token = accessToken };
    }

    /// <summary>
    /// A direct conversation between two fresh users, once Chat has seen both sign-ups (retried until then: either
    /// replica consumes Identity's events, so Ada's may be handled after Bob's).
    /// </summary>
    public async Task<(TestUser A, TestUser B, Guid ConversationId)> PairAsync()
    {
        var a = await NewUserAsync("Ada");
        var b = await NewUserAsync("Bob");
        var id = await DirectAsync(a, b, HttpStatusCode.Created);
        (await DirectAsync(b, a, HttpStatusCode.OK)).ShouldBe(id);
        return (a, b, id);
    }

    private async Task<Guid> DirectAsync(TestUser from, TestUser to, HttpStatusCode expected) =>
        (await EventuallyAsync<Guid?>(async () =>
        {
            using var response = await SendAsync(HttpMethod.Post, "/api/conversations", from.Token, new { type = "direct", userId = to.Id });
            return response.StatusCode == expected ? (await ReadAsync(response)).GetProperty("id").GetGuid() : null;
        }, TimeSpan.FromSeconds(30), $"Chat to learn of {to.Email}", Ct))!.Value;

    /// <summary>
    /// A hub connection as the web app opens it: negotiated, WebSockets, stateful reconnect, the token from a provider.
    /// <paramref name="sockets"/> opens the WebSockets instead of the client (to drop them, or send them elsewhere).
    /// </summary>
    public static HubConnection Hub(Uri baseAddress, string? token, DroppableSockets? sockets = null) =>
        new HubConnectionBuilder()
            .WithUrl(new Uri(baseAddress, "/hubs/chat"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                if (token is not null)
                {
                    options.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }

                if (sockets is not null)
                {
                    options.WebSocketFactory = sockets.OpenAsync;
                }
            })
            .WithStatefulReconnect()
            .Build();

    public async Task<HubConnection> ConnectAsync(TestUser user, Uri? to = null, DroppableSockets? sockets = null)
    {
        var hub = Hub(to ?? fixture.Gateway, user.Token, sockets);
        await hub.StartAsync(Ct);
        return hub;
    }

    /// <summary>
    /// B's socket drops <paramref name="drops"/> times; each time A posts messages while B is away. B's connection resumes
    /// (same connection, a new socket, no reconnect of the hub) and B gets every message once, in order.
    /// </summary>
    public async Task DropAndResumeAsync(TestUser a, TestUser b, Guid conversationId, HubConnection hubB, DroppableSockets socketsB, int drops)
    {
        var atB = new Inbox<MessageResponse>(hubB, HubEvents.Message);
        var closed = false;
        var reconnecting = false;
        hubB.Closed += _ => { closed = true; return Task.CompletedTask; };
        hubB.Reconnecting += _ => { reconnecting = true; return Task.CompletedTask; };
        var connectionId = hubB.ConnectionId.ShouldNotBeNull();

        var sent = new List<Guid> { (await PostMessageAsync(a, conversationId, "before")).GetProperty("id").GetGuid() };
        await atB.WaitForAsync(m => m.Id == sent[^1]);
        for (var drop = 1; drop <= drops; drop++)
        {
            socketsB.DropNewest();
            for (var i = 0; i < 3; i++)
            {
                sent.Add((await PostMessageAsync(a, conversationId, $"while away {drop}.{i}")).GetProperty("id").GetGuid());
            }

            await atB.WaitForAsync(m => m.Id == sent[^1]);
            socketsB.Opened.Count.ShouldBe(drop + 1, "each drop is resumed on one new socket");
        }

        atB.Items.Where(m => m.ConversationId == conversationId).Select(m => m.Id).ShouldBe(sent, "every message once, in order");
        hubB.ConnectionId.ShouldBe(connectionId, "the same connection, resumed");
        hubB.State.ShouldBe(HubConnectionState.Connected);
        closed.ShouldBeFalse();
        reconnecting.ShouldBeFalse("a resume is not a reconnect: the client never went back to negotiate");
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, object? body = null) =>
        Client.SendApiAsync(method, path, token, body, cancellationToken: Ct);

    public async Task<JsonElement> GetAsync(TestUser user, string path)
    {
        using var response = await SendAsync(HttpMethod.Get, path, user.Token);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await ReadAsync(response);
    }

    public async Task<JsonElement> PostMessageAsync(TestUser user, Guid conversationId, string text, string? clientMessageId = null, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var response = await SendAsync(HttpMethod.Post, $"/api/conversations/{conversationId}/messages", user.Token,
            new { clientMessageId = clientMessageId ?? Guid.NewGuid().ToString(), text });
        response.StatusCode.ShouldBe(expected, await response.Content.ReadAsStringAsync(Ct));
        return await ReadAsync(response);
    }

    /// <summary>The user's notifications of <paramref name="type"/>, once at least <paramref name="count"/> are there.</summary>
    public async Task<List<JsonElement>> NotificationsAsync(TestUser user, string type, int count = 1) =>
        (await EventuallyAsync(async () =>
        {
            var page = await GetAsync(user, "/api/notifications?limit=100");
            var found = page.GetProperty("items").EnumerateArray().Where(n => n.GetProperty("type").GetString() == type).ToList();
            return found.Count >= count ? found : null;
        }, TimeSpan.FromSeconds(60), $"{count} '{type}' notification(s)"))!;

    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>(Ct);

    public static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json", await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }
}

/// <summary>Collects one hub event's payloads so a test can wait for the one it expects.</summary>
public sealed class Inbox<T>
{
    private readonly List<T> _items = [];
    private readonly SemaphoreSlim _signal = new(0);

    public Inbox(HubConnection hub, string eventName) =>
        hub.On<T>(eventName, item =>
        {
            // CI once saw an argument without a document behind it (default JsonElement) among the pushes; it cannot be
            // what a test waits for, so it is dropped here rather than failing the match of the next real event.
            if (item is JsonElement { ValueKind: JsonValueKind.Undefined })
            {
                return;
            }

            lock (_items)
            {
                // SignalR's JSON protocol hands out a JsonElement over a pooled buffer that is reused after the
                // handler returns: keep a copy, or a later read sees another message's bytes.
                _items.Add(item is JsonElement element ? (T)(object)element.Clone() : item);
            }

            _signal.Release();
        });

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    public async Task<T> WaitForAsync(Func<T, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            // Not FirstOrDefault: for a struct such as JsonElement its default is a value, and "no match yet" would
            // come back as an empty element.
            var items = Items;
            var index = items.ToList().FindIndex(item => match(item));
            if (index >= 0)
            {
                return items[index];
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"No matching event among {Items.Count} received.");
            }

            await _signal.WaitAsync(left, TestContext.Current.CancellationToken);
        }
    }
}

/// <summary>
/// Opens a hub connection's WebSockets the way the client would (the token as a bearer header), optionally at another
/// address than the client asked for (same path and query), and drops the newest one on demand like a lost network:
/// no close frame, so the client and the server treat it as a connection to resume.
/// </summary>
public sealed class DroppableSockets(string token, Uri? retarget = null)
{
    private readonly List<(ClientWebSocket Socket, Uri Uri)> _opened = [];

    public IReadOnlyList<Uri> Opened
    {
        get
        {
            lock (_opened)
            {
                return [.. _opened.Select(o => o.Uri)];
            }
        }
    }

    public async ValueTask<WebSocket> OpenAsync(WebSocketConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        var uri = retarget is null ? context.Uri : new UriBuilder(context.Uri) { Host = retarget.Host, Port = retarget.Port }.Uri;
        await socket.ConnectAsync(uri, cancellationToken);
        lock (_opened)
        {
            _opened.Add((socket, uri));
        }

        return socket;
    }

    public void DropNewest()
    {
        lock (_opened)
        {
            _opened[^1].Socket.Abort();
        }
    }
}
