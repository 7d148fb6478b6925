using System.Net;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace Ahod.Identity.Tests;

public sealed class GdprTests(IdentityAppFixture fixture)
{
    private readonly IdentityApi _api = new(fixture);

    [Fact]
    public async Task Export_HoldsMyDataAndNobodyElses()
    {
        var me = await _api.SignUpAsync();
        var someoneElse = await _api.SignUpAsync();

        using var response = await _api.SendAsync(HttpMethod.Get, "/api/users/me/export", me.AccessToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var json = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var export = JsonDocument.Parse(json).RootElement;
        export.GetProperty("userId").GetGuid().ShouldBe(me.User.Id);
        var identity = export.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == "identity");
        var data = identity.GetProperty("data");
        data.GetProperty("email").GetString().ShouldBe(me.User.Email);
        data.GetProperty("userName").GetString().ShouldBe(me.User.UserName);
        data.GetProperty("sessions").GetArrayLength().ShouldBe(1);
        json.ShouldNotContain(someoneElse.User.Id.ToString());
        json.ShouldNotContain(someoneElse.User.Email!, Case.Insensitive);
        json.ShouldNotContain(someoneElse.User.UserName);
        json.ShouldNotContain("passwordHash", Case.Insensitive);

        // Every configured service was asked, with the internal key and the user's own token.
        var probe = export.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == FakeGdprService.Name);
        probe.GetProperty("data").GetProperty("userId").GetGuid().ShouldBe(me.User.Id);
        var (internalKey, authorization) = fixture.GdprProbe.Calls[me.User.Id];
        internalKey.ShouldNotBeNullOrEmpty();
        authorization.ShouldBe($"Bearer {me.AccessToken}");
        fixture.GdprProbe.Calls.ContainsKey(someoneElse.User.Id).ShouldBeFalse();
    }

    [Fact]
    public async Task Erase_WithWrongPassword_Returns403AndKeepsTheAccount()
    {
        var session = await _api.SignUpAsync();

        using var response = await _api.SendAsync(HttpMethod.Delete, "/api/users/me", session.AccessToken, new { password = "not my password at all" });

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await _api.QueryAsync<long>("SELECT count(*) FROM users WHERE id = $1", session.User.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task Erase_ClosesAccountRemovesPersonalDataAndPublishesUserErased()
    {
        var session = await _api.SignUpAsync();
        var other = await _api.SignInAsync(session.User.Email!);
        await using var events = await EventProbe.StartAsync(fixture.RabbitMqConnectionString, "user.erased");

        using (var erase = await _api.SendAsync(HttpMethod.Delete, "/api/users/me", session.AccessToken, new { password = session.Password }))
        {
            erase.StatusCode.ShouldBe(HttpStatusCode.NoContent, await erase.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        }

        using (var signIn = await _api.PostSignInAsync(session.User.Email!, session.Password))
        {
            signIn.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using (var refresh = await _api.PostWithRefreshCookieAsync("/api/auth/refresh", other.RefreshToken))
        {
            refresh.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        var id = session.User.Id;
        (await _api.QueryAsync<long>("SELECT count(*) FROM users WHERE id = $1 OR normalized_email = lower($2) OR user_name = $3",
            id, session.User.Email!, session.User.UserName)).ShouldBe(0);
        (await _api.QueryAsync<long>("SELECT count(*) FROM refresh_token_families WHERE user_id = $1", id)).ShouldBe(0);
        (await _api.QueryAsync<long>("SELECT count(*) FROM erased_users WHERE id = $1", id)).ShouldBe(1);
        // Nothing left anywhere in the outbox that names the user, only the erasure itself (which carries the id alone).
        (await _api.QueryAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE payload::text ILIKE '%' || $1 || '%' OR payload::text ILIKE '%' || $2 || '%'",
            session.User.Email!, session.User.UserName)).ShouldBe(0);

        var erased = await events.WaitForAsync(body => body.GetProperty("userId").GetGuid() == id, TimeSpan.FromSeconds(20));
        erased.GetProperty("id").GetGuid().ShouldNotBe(Guid.Empty);

        // The account can be created again with the same email: it is gone, not hidden.
        await _api.SignUpAsync(IdentityApi.NewUser() with { Email = session.User.Email! });
    }

    /// <summary>A temporary queue bound to the events exchange, as another service's consumer would be.</summary>
    private sealed class EventProbe : IAsyncDisposable
    {
        private readonly IConnection _connection;
        private readonly IChannel _channel;
        private readonly string _queue;

        private EventProbe(IConnection connection, IChannel channel, string queue)
        {
            _connection = connection;
            _channel = channel;
            _queue = queue;
        }

        public static async Task<EventProbe> StartAsync(string connectionString, string routingKey)
        {
            var ct = TestContext.Current.CancellationToken;
            var connection = await new ConnectionFactory { Uri = new Uri(connectionString) }.CreateConnectionAsync(ct);
            var channel = await connection.CreateChannelAsync(cancellationToken: ct);
            await channel.ExchangeDeclareAsync("ahod.events", ExchangeType.Topic, durable: true, autoDelete: false, cancellationToken: ct);
            var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true, cancellationToken: ct)).QueueName;
            await channel.QueueBindAsync(queue, "ahod.events", routingKey, cancellationToken: ct);
            return new EventProbe(connection, channel, queue);
        }

        public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var message = await _channel.BasicGetAsync(_queue, autoAck: true, TestContext.Current.CancellationToken);
                if (message is null)
                {
                    await Task.Delay(100, TestContext.Current.CancellationToken);
                    continue;
                }

                var body = JsonDocument.Parse(Encoding.UTF8.GetString(message.Body.Span)).RootElement;
                if (match(body))
                {
                    return body;
                }
            }

            throw new TimeoutException($"No matching message on {_queue} within {timeout}.");
        }

        public async ValueTask DisposeAsync()
        {
            await _channel.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
