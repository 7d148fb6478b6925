using System.Net;

namespace Ahod.Identity.Tests;

public sealed class SignInTests(IdentityAppFixture fixture)
{
    private readonly IdentityApi _api = new(fixture);

    [Fact]
    public async Task SignIn_UnknownEmailAndWrongPassword_LookTheSame()
    {
        var session = await _api.SignUpAsync();

        var wrongPassword = await _api.SignInOutcomeAsync(session.User.Email!, "wrong password, long enough");
        var unknownEmail = await _api.SignInOutcomeAsync($"nobody-{Guid.NewGuid():N}@ahod.test", session.Password);

        wrongPassword.Status.ShouldBe(HttpStatusCode.Unauthorized);
        unknownEmail.Status.ShouldBe(HttpStatusCode.Unauthorized);
        unknownEmail.Body.ShouldBe(wrongPassword.Body);
    }

    [Fact]
    public async Task SignIn_Flood_Returns429WithRetryAfter()
    {
        var session = await _api.SignUpAsync();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 8 && limited is null; i++)
        {
            var response = await _api.PostSignInAsync(session.User.Email!, "wrong password, long enough");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                response.Dispose();
            }
        }

        statuses.Take(5).ShouldAllBe(s => s == HttpStatusCode.Unauthorized);
        limited.ShouldNotBeNull();
        using (limited)
        {
            limited.Headers.RetryAfter!.Delta!.Value.TotalSeconds.ShouldBeInRange(1, 60);
            (await IdentityApi.ReadProblemAsync(limited)).GetProperty("status").GetInt32().ShouldBe(429);
        }

        // Even the right password waits out the window: the limit is on attempts, not failures.
        using var right = await _api.PostSignInAsync(session.User.Email!, session.Password);
        right.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
    }
}
