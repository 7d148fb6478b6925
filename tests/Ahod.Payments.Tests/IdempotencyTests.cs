using System.Net;

namespace Ahod.Payments.Tests;

public sealed class IdempotencyTests(PaymentsAppFixture fixture)
{
    private readonly PaymentsApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Replay_SameKeySameBody_ReturnsTheSameResponseAndPostsOnce()
    {
        var alice = await _api.NewUserAsync(fund: 1000);
        var bob = await _api.NewUserAsync();
        var key = Guid.NewGuid().ToString();

        using var first = await _api.SendMoneyAsync(alice, bob.Id, 100, key);
        using var second = await _api.SendMoneyAsync(alice, bob.Id, 100, key);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        second.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await second.Content.ReadAsStringAsync(Ct)).ShouldBe(await first.Content.ReadAsStringAsync(Ct));
        second.Headers.GetValues("Idempotent-Replayed").ShouldBe(["true"]);
        (await _api.WalletAsync(alice)).Available.Amount.ShouldBe(900);
        (await _api.ScalarAsync<long>("SELECT count(*) FROM transfers WHERE initiated_by = $1 AND code = 'p2p'", alice.Id)).ShouldBe(1L);
    }

    [Fact]
    public async Task Replay_OfARefusal_ReturnsTheStoredRefusal()
    {
        var alice = await _api.NewUserAsync(fund: 50);
        var bob = await _api.NewUserAsync();
        var key = Guid.NewGuid().ToString();

        using var first = await _api.SendMoneyAsync(alice, bob.Id, 100, key);
        using var topUp = await _api.DepositAsync(alice, 1000);
        using var again = await _api.SendMoneyAsync(alice, bob.Id, 100, key);

        first.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        again.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, "the first result for a key is the result, even if funds arrived since");
        (await _api.WalletAsync(bob)).Available.Amount.ShouldBe(0);
    }

    [Fact]
    public async Task SameKey_WithAnotherBody_Returns422()
    {
        var alice = await _api.NewUserAsync(fund: 1000);
        var bob = await _api.NewUserAsync();
        var key = Guid.NewGuid().ToString();

        using var first = await _api.SendMoneyAsync(alice, bob.Id, 100, key);
        using var other = await _api.SendMoneyAsync(alice, bob.Id, 101, key);

        first.StatusCode.ShouldBe(HttpStatusCode.Created);
        other.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await PaymentsApi.ReadProblemAsync(other)).GetProperty("title").GetString()!.ShouldContain("Idempotency-Key");
        (await _api.WalletAsync(alice)).Available.Amount.ShouldBe(900);
    }

    [Fact]
    public async Task SameKey_FromAnotherUser_IsAnotherKey()
    {
        var alice = await _api.NewUserAsync(fund: 1000);
        var carol = await _api.NewUserAsync(fund: 1000);
        var bob = await _api.NewUserAsync();
        var key = Guid.NewGuid().ToString();

        using var fromAlice = await _api.SendMoneyAsync(alice, bob.Id, 100, key);
        using var fromCarol = await _api.SendMoneyAsync(carol, bob.Id, 100, key);

        fromAlice.StatusCode.ShouldBe(HttpStatusCode.Created);
        fromCarol.StatusCode.ShouldBe(HttpStatusCode.Created);
        (await _api.WalletAsync(bob)).Available.Amount.ShouldBe(200);
    }

    [Fact]
    public async Task SameKey_WhileTheFirstIsInFlight_Returns409()
    {
        var alice = await _api.NewUserAsync(fund: 1000);
        var bob = await _api.NewUserAsync();
        var key = Guid.NewGuid().ToString();
        using var probe = await _api.SendMoneyAsync(alice, bob.Id, 1, "probe-" + key);
        var hash = await _api.ScalarAsync<string>("SELECT request_hash FROM idempotency_keys WHERE user_id = $1 AND key = $2", alice.Id, "probe-" + key);
        // A request that is running right now on some replica: its claim holds the key.
        await _api.ScalarAsync<int>("""
            WITH x AS (INSERT INTO idempotency_keys (user_id, key, request_hash, status, lock_token, locked_until, created_at, expires_at)
                       VALUES ($1, $2, $3, 'in_flight', gen_random_uuid(), now() + interval '1 minute', now(), now() + interval '1 day') RETURNING 1)
            SELECT count(*)::int FROM x
            """, alice.Id, key, hash);

        using var second = await _api.SendMoneyAsync(alice, bob.Id, 1, key);

        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await PaymentsApi.ReadProblemAsync(second)).GetProperty("status").GetInt32().ShouldBe(409);
    }

    [Fact]
    public async Task SameKey_SentConcurrently_PostsOnceAndEveryAnswerIsTheResultOr409()
    {
        var alice = await _api.NewUserAsync(fund: 1000);
        var bob = await _api.NewUserAsync();
        var key = Guid.NewGuid().ToString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var response = await _api.SendMoneyAsync(alice, bob.Id, 100, key);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync(Ct));
        }));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.Created || r.StatusCode == HttpStatusCode.Conflict);
        responses.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Body).Distinct().Count().ShouldBe(1);
        (await _api.WalletAsync(alice)).Available.Amount.ShouldBe(900);
        (await _api.WalletAsync(bob)).Available.Amount.ShouldBe(100);
    }
}
