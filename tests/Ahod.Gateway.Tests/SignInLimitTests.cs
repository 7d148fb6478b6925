using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ahod.Gateway.Tests;

/// <summary>
/// Sign-in limits with real client addresses: each client of <see cref="GatewayFixture.CreateClient()"/> connects from
/// its own loopback address (127.1.x.y), the gateway passes it on in X-Forwarded-For and Identity trusts that header
/// from the gateway only. So a flood from one address is refused without locking the account for everyone, and many
/// people behind one address (a campus NAT) are not refused at all.
/// </summary>
public sealed class SignInLimitTests(GatewayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PasswordGuessing_FromOneAddress_LocksThatAddressOut_ButTheOwnerStillSignsInFromAnother()
    {
        using var attacker = fixture.CreateClient();
        using var owner = fixture.CreateClient();
        var victim = await GatewayFixture.SignUpAsync(owner, Ct);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var guess = await attacker.PostAsJsonAsync("/api/auth/signin", new { email = victim.Email, password = $"guess-{i}-long-enough" }, Ct);
            statuses.Add(guess.StatusCode);
            if (guess.StatusCode == HttpStatusCode.TooManyRequests)
            {
                guess.Headers.RetryAfter.ShouldNotBeNull();
                var problem = (await guess.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
                ProblemTests.ShouldBeComplete(problem, 429, "/api/auth/signin");
            }
        }

        // Identity's limit per account and address: 5 a minute.
        statuses.Take(5).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        statuses.Skip(5).ShouldAllBe(s => s == HttpStatusCode.TooManyRequests);

        // Even the right password is refused from the attacker's address ...
        using (var fromAttacker = await attacker.PostAsJsonAsync("/api/auth/signin", new { email = victim.Email, password = victim.Password }, Ct))
        {
            fromAttacker.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        }

        // ... while the owner, elsewhere, signs in.
        using var fromOwner = await owner.PostAsJsonAsync("/api/auth/signin", new { email = victim.Email, password = victim.Password }, Ct);
        fromOwner.StatusCode.ShouldBe(HttpStatusCode.OK, await fromOwner.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task ManyPeopleBehindOneAddress_SignUpSignInAndRefresh_WithoutBeingRefused()
    {
        // 40 students on one campus address: 120 credential calls in a few seconds (the old shared bucket allowed 10 a minute).
        using var campus = fixture.CreateClient();
        var students = new List<TestUser>();
        foreach (var batch in Enumerable.Range(0, 40).Chunk(8))
        {
            students.AddRange(await Task.WhenAll(batch.Select(_ => GatewayFixture.SignUpAsync(campus, Ct))));
        }

        var signIns = await Task.WhenAll(students.Select(async s =>
        {
            using var response = await campus.PostAsJsonAsync("/api/auth/signin", new { email = s.Email, password = s.Password }, Ct);
            return (response.StatusCode, Cookie: GatewayFixture.RefreshCookieOf(response));
        }));
        signIns.Select(s => s.StatusCode).ShouldAllBe(s => s == HttpStatusCode.OK);

        var refreshes = await Task.WhenAll(signIns.Select(async s =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/refresh");
            request.Headers.Add("Cookie", s.Cookie);
            using var response = await campus.SendAsync(request, Ct);
            return response.StatusCode;
        }));
        refreshes.ShouldAllBe(s => s == HttpStatusCode.OK);
    }

    [Fact]
    public async Task SignInFlood_AcrossManyAccounts_FromOneAddress_IsRefusedByTheGateway_AndSparesOtherAddresses()
    {
        using var flooder = fixture.CreateClient();
        using var bystander = fixture.CreateClient();
        var started = Stopwatch.StartNew();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        // Credential stuffing: one guess for each of many accounts, so Identity's per-account limit never applies.
        for (var round = 0; round < 20 && limited is null; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
                flooder.PostAsJsonAsync("/api/auth/signin", new { email = $"nobody-{round}-{i}-{Guid.NewGuid():N}@ahod.test", password = "wrong-password-123" }, Ct)));
            foreach (var response in responses)
            {
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && limited is null)
                {
                    limited = response;
                }
                else
                {
                    response.Dispose();
                }
            }
        }

        var elapsed = started.Elapsed;
        limited.ShouldNotBeNull($"no 429 after {statuses.Count} sign-ins");
        using (limited)
        {
            // A bucket of 100 refilled at one a second: what got through is 100 plus the seconds the flood took.
            var through = statuses.Count(s => s != HttpStatusCode.TooManyRequests);
            through.ShouldBeInRange(100, 100 + (int)Math.Ceiling(elapsed.TotalSeconds) + 1);
            limited.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
            ProblemTests.ShouldBeComplete((await limited.Content.ReadFromJsonAsync<JsonObject>(Ct))!, 429, "/api/auth/signin");
        }

        using var other = await bystander.PostAsJsonAsync("/api/auth/signin", new { email = "nobody@ahod.test", password = "wrong-password-123" }, Ct);
        other.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
