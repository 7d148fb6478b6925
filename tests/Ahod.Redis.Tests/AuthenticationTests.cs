namespace Ahod.Redis.Tests;

public sealed class AuthenticationTests(RedisFixture redis)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Wrong_password_fails_fast_with_a_clear_error()
    {
        await using var client = new RedisClient($"127.0.0.1:{redis.Port},password=not-the-password");

        var error = await Should.ThrowAsync<RedisAuthenticationException>(() => client.PingAsync(Ct));

        error.Message.ShouldContain("refused the credentials");
        error.Message.ShouldContain("WRONGPASS");
        error.Message.ShouldNotContain("not-the-password");
    }

    [Fact]
    public async Task Missing_password_fails_with_a_clear_error()
    {
        await using var client = new RedisClient($"127.0.0.1:{redis.Port}");

        var error = await Should.ThrowAsync<RedisAuthenticationException>(() => client.PingAsync(Ct));

        error.Message.ShouldContain("NOAUTH");
    }

    [Fact]
    public async Task Acl_user_and_password()
    {
        await using var admin = redis.CreateClient();
        var user = $"svc{Guid.NewGuid():N}";
        await admin.ExecuteAsync("ACL", ["SETUSER", user, "on", ">userpass", "~*", "+@all"], Ct);

        await using var client = new RedisClient($"127.0.0.1:{redis.Port},user={user},password=userpass");
        (await client.ExecuteAsync("ACL", ["WHOAMI"], Ct)).AsString().ShouldBe(user);

        await using var wrong = new RedisClient($"127.0.0.1:{redis.Port},user={user},password=nope");
        (await Should.ThrowAsync<RedisAuthenticationException>(() => wrong.PingAsync(Ct))).Message.ShouldContain($"user '{user}'");
    }

    [Fact]
    public async Task Nothing_listening_is_a_connection_error_within_the_connect_timeout()
    {
        await using var client = new RedisClient($"127.0.0.1:{FreePort.Find()},connectTimeout=500");

        var error = await Should.ThrowAsync<RedisConnectionException>(() => client.PingAsync(Ct));

        error.Message.ShouldContain("No connection to Redis");
        error.InnerException.ShouldNotBeNull();
    }
}
