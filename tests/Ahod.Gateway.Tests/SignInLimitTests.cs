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
        // 20 students on one campus address: 60 credential calls within a minute or two (the old bucket shared by every
        // credential call allowed 10 a minute). One at a time: each sign-up and sign-in costs a PBKDF2 on shared cores.
        using var campus = fixture.CreateClient();
        var cookies = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var student = await GatewayFixture.SignUpAsync(campus, Ct);
            using var signIn = await campus.PostAsJsonAsync("/api/auth/signin", new { email = student.Email, password = student.Password }, Ct);
            signIn.StatusCode.ShouldBe(HttpStatusCode.OK, $"student {i}: {await signIn.Content.ReadAsStringAsync(Ct)}");
            cookies.Add(GatewayFixture.RefreshCookieOf(signIn));
        }

        var refreshes = await Task.WhenAll(cookies.Select(async cookie =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/refresh");
            request.Headers.Add("Cookie", cookie);
            using var response = await campus.SendAsync(request, Ct);
            return response.StatusCode;
        }));
        refreshes.ShouldAllBe(s => s == HttpStatusCode.OK);
    }

    [Fact]
    public async Task SignInFlood_FromOneAddress_IsRefusedByTheGateway_AndSparesOtherAddresses()
    {
        using var flooder = fixture.CreateClient();
        using var bystander = fixture.CreateClient();
        var started = Stopwatch.StartNew();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        // The gateway counts sign-in calls, whatever their body. These carry no password, so Identity refuses each
        // with a cheap 400 and the test does not pay for 100 PBKDF2s; a flood of real guesses meets the same bucket.
        for (var round = 0; round < 20 && limited is null; round++)
        {
            var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
                flooder.PostAsJsonAsync("/api/auth/signin", new { email = $"nobody-{round}-{i}@ahod.test" }, Ct)));
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
            statuses.Where(s => s != HttpStatusCode.TooManyRequests).ShouldAllBe(s => s == HttpStatusCode.BadRequest);
            var through = statuses.Count(s => s != HttpStatusCode.TooManyRequests);
            through.ShouldBeInRange(100, 100 + (int)Math.Ceiling(elapsed.TotalSeconds) + 1);
            limited.Headers.RetryAfter!.Delta!.Value.ShouldBeGreaterThan(TimeSpan.Zero);
            ProblemTests.ShouldBeComplete((await limited.Content.ReadFromJsonAsync<JsonObject>(Ct))!, 429, "/api/auth/signin");
        }

        using var other = await bystander.PostAsJsonAsync("/api/auth/signin", new { email = "nobody@ahod.test", password = "wrong-password-123" }, Ct);
        other.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
