using System.Net;
using System.Text.Json;

namespace Ahod.Identity.Tests;

public sealed class AuthFlowTests(IdentityAppFixture fixture)
{
    private readonly IdentityApi _api = new(fixture);

    [Fact]
    public async Task SignUp_SignIn_Me_Refresh_SignOut_WorkEndToEnd()
    {
        var body = IdentityApi.NewUser();
        using var signUp = await _api.PostSignUpAsync(body);
        signUp.StatusCode.ShouldBe(HttpStatusCode.Created, await signUp.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var created = await _api.ReadAsync<AuthResultDto>(signUp);
        signUp.Headers.Location!.ToString().ShouldBe($"/api/users/{created.User.Id}");
        created.ExpiresIn.ShouldBe(900);
        created.User.Email.ShouldBe(body.Email);
        created.User.UserName.ShouldBe(body.UserName);
        created.User.Roles.ShouldBe(["member"]);

        var cookie = IdentityApi.RefreshSetCookie(signUp)!.ToLowerInvariant();
        cookie.ShouldContain("httponly");
        cookie.ShouldContain("samesite=strict");
        cookie.ShouldContain("path=/api/auth");

        var session = await _api.SignInAsync(body.Email.ToUpperInvariant(), body.Password);
        session.User.Id.ShouldBe(created.User.Id);

        using (var me = await _api.SendAsync(HttpMethod.Get, "/api/auth/me", session.AccessToken))
        {
            me.StatusCode.ShouldBe(HttpStatusCode.OK);
            var user = await _api.ReadAsync<UserDto>(me);
            user.Id.ShouldBe(created.User.Id);
            user.Email.ShouldBe(body.Email);
        }

        var refreshed = await _api.RefreshAsync(session);
        refreshed.RefreshToken.ShouldNotBe(session.RefreshToken);
        refreshed.AccessToken.ShouldNotBe(session.AccessToken);

        using (var signOut = await _api.PostWithRefreshCookieAsync("/api/auth/signout", refreshed.RefreshToken))
        {
            signOut.StatusCode.ShouldBe(HttpStatusCode.NoContent);
            var cleared = IdentityApi.RefreshSetCookie(signOut)!;
            cleared.ShouldStartWith("ahod_refresh=;");
            cleared.ToLowerInvariant().ShouldContain("expires=thu, 01 jan 1970");
        }

        using var afterSignOut = await _api.PostWithRefreshCookieAsync("/api/auth/refresh", refreshed.RefreshToken);
        afterSignOut.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AccessToken_IsEs256WithKidAndTheContractClaims()
    {
        var session = await _api.SignUpAsync();
        var jwt = session.Jwt;

        jwt.Alg.ShouldBe("ES256");
        jwt.Kid.ShouldNotBeNullOrEmpty();
        jwt.Issuer.ShouldBe("ahod-identity");
        jwt.Audiences.ShouldBe(["ahod"]);
        jwt.Subject.ShouldBe(session.User.Id.ToString());
        (jwt.ValidTo - jwt.IssuedAt).ShouldBe(TimeSpan.FromMinutes(15));
        using var payload = JsonDocument.Parse(Base64UrlDecode(jwt.EncodedPayload));
        payload.RootElement.GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ShouldBe(["member"]);
        payload.RootElement.GetProperty("email_verified").GetBoolean().ShouldBeFalse();

        using var jwks = await _api.Client.GetAsync("/.well-known/jwks.json", TestContext.Current.CancellationToken);
        var keys = (await _api.ReadAsync<JsonElement>(jwks)).GetProperty("keys").EnumerateArray().ToList();
        var key = keys.Single(k => k.GetProperty("kid").GetString() == jwt.Kid);
        key.GetProperty("kty").GetString().ShouldBe("EC");
        key.GetProperty("crv").GetString().ShouldBe("P-256");
        key.GetProperty("alg").GetString().ShouldBe("ES256");
        key.TryGetProperty("d", out _).ShouldBeFalse("the private key must never be published");
    }

    internal static byte[] Base64UrlDecode(string value) => Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(value);
}
