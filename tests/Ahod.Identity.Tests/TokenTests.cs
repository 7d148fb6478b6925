using System.Net;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Ahod.Identity.Tokens;
using Microsoft.IdentityModel.Tokens;

namespace Ahod.Identity.Tests;

public sealed class TokenTests(IdentityAppFixture fixture)
{
    private readonly IdentityApi _api = new(fixture);

    public static TheoryData<string> Tamperings() =>
        ["alg none", "wrong key", "wrong key with the real kid", "expired", "wrong audience", "wrong issuer", "flipped signature", "garbage"];

    [Theory]
    [MemberData(nameof(Tamperings))]
    public async Task Me_WithTamperedToken_Returns401(string tampering)
    {
        var session = await _api.SignUpAsync();
        var token = Tamper(tampering, session);

        using var response = await _api.SendAsync(HttpMethod.Get, "/api/auth/me", token);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_WithoutToken_Returns401ProblemDetails()
    {
        using var response = await _api.SendAsync(HttpMethod.Get, "/api/auth/me", accessToken: null);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await IdentityApi.ReadProblemAsync(response)).GetProperty("status").GetInt32().ShouldBe(401);
    }

    [Fact]
    public async Task Me_WithTokenMintedByTheRealKeyAndValidClaims_Returns200()
    {
        // The control for the tamperings above: the same minting path with nothing wrong is accepted.
        var session = await _api.SignUpAsync();

        using var response = await _api.SendAsync(HttpMethod.Get, "/api/auth/me", Mint(session, RealKey()));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Refresh_ReuseOfRotatedToken_RevokesTheWholeFamily()
    {
        var signedIn = await _api.SignUpAsync();
        var second = await _api.RefreshAsync(signedIn);
        var newest = await _api.RefreshAsync(second);

        // The first token is presented again: a thief (or the victim) replays it.
        using (var reuse = await _api.PostWithRefreshCookieAsync("/api/auth/refresh", signedIn.RefreshToken))
        {
            reuse.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using (var newestAfterReuse = await _api.PostWithRefreshCookieAsync("/api/auth/refresh", newest.RefreshToken))
        {
            newestAfterReuse.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        (await _api.QueryAsync<string>(
            "SELECT revoked_reason FROM refresh_token_families WHERE user_id = $1", signedIn.User.Id)).ShouldBe("reuse");

        // Other sessions of the same user are separate families and keep working.
        var other = await _api.SignInAsync(signedIn.User.Email!);
        await _api.RefreshAsync(other);
    }

    [Fact]
    public async Task Refresh_SameTokenAgainBeforeItsSuccessorIsUsed_IsALostResponseAndTheSessionLives()
    {
        // A page navigation aborted the refresh after the server rotated the token: the browser never stored the
        // successor and sends the old cookie again on the next page.
        var signedIn = await _api.SignUpAsync();
        var lost = await _api.RefreshAsync(signedIn);
        var again = await _api.RefreshAsync(signedIn);

        again.RefreshToken.ShouldNotBe(lost.RefreshToken);
        again.User.Id.ShouldBe(signedIn.User.Id);
        var next = await _api.RefreshAsync(again);
        (await _api.QueryAsync<long>(
            "SELECT count(*) FROM refresh_token_families WHERE user_id = $1 AND revoked_at IS NULL", signedIn.User.Id)).ShouldBe(1);

        // Once a successor has been used, the old token is a replay again and ends the session.
        using (var replay = await _api.PostWithRefreshCookieAsync("/api/auth/refresh", signedIn.RefreshToken))
        {
            replay.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var newest = await _api.PostWithRefreshCookieAsync("/api/auth/refresh", next.RefreshToken);
        newest.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Refresh_SameTokenAThirdTime_IsReuseEvenWithinTheGrace()
    {
        var signedIn = await _api.SignUpAsync();
        await _api.RefreshAsync(signedIn);
        var forgiven = await _api.RefreshAsync(signedIn);

        using (var third = await _api.PostWithRefreshCookieAsync("/api/auth/refresh", signedIn.RefreshToken))
        {
            third.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }

        using var afterReuse = await _api.PostWithRefreshCookieAsync("/api/auth/refresh", forgiven.RefreshToken);
        afterReuse.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await _api.QueryAsync<string>(
            "SELECT revoked_reason FROM refresh_token_families WHERE user_id = $1", signedIn.User.Id)).ShouldBe("reuse");
    }

    [Theory]
    [InlineData(0, 1, false, true)]
    [InlineData(30, 1, false, true)]
    [InlineData(31, 1, false, false)]
    [InlineData(1, 1, true, false)]
    [InlineData(1, 2, false, false)]
    public void LostResponse_OnlyOnceWithinTheGraceAndWhileNoSuccessorIsUsed(int secondsLater, int successorsIssued, bool successorUsed, bool lost)
    {
        var rotatedAt = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

        RefreshTokenService.IsLostResponse(rotatedAt, successorsIssued, successorUsed, rotatedAt.AddSeconds(secondsLater)).ShouldBe(lost);
    }

    [Fact]
    public async Task Refresh_WithoutCookieOrWithUnknownToken_Returns401()
    {
        using var none = await _api.PostWithRefreshCookieAsync("/api/auth/refresh", null);
        none.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        using var unknown = await _api.PostWithRefreshCookieAsync("/api/auth/refresh", Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32)));
        unknown.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RefreshTokens_AreStoredOnlyAsHashes()
    {
        var session = await _api.SignUpAsync();

        (await _api.QueryAsync<long>(
            "SELECT count(*) FROM refresh_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))", session.RefreshToken)).ShouldBe(1);
    }

    private string Tamper(string tampering, Session session)
    {
        var jwt = session.Jwt;
        switch (tampering)
        {
            case "alg none":
                var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
                return $"{header}.{jwt.EncodedPayload}.";
            case "wrong key":
                return Mint(session, NewKey("attacker"));
            case "wrong key with the real kid":
                return Mint(session, NewKey(jwt.Kid));
            case "expired":
                return Mint(session, RealKey(), expires: DateTime.UtcNow.AddMinutes(-5), issuedAt: DateTime.UtcNow.AddMinutes(-20));
            case "wrong audience":
                return Mint(session, RealKey(), audience: "someone-else");
            case "wrong issuer":
                return Mint(session, RealKey(), issuer: "evil-identity");
            case "flipped signature":
                var signature = Base64UrlEncoder.DecodeBytes(jwt.EncodedSignature);
                signature[0] ^= 0xFF;
                return $"{jwt.EncodedHeader}.{jwt.EncodedPayload}.{Base64UrlEncoder.Encode(signature)}";
            case "garbage":
                return "not.a.jwt";
            default:
                throw new ArgumentOutOfRangeException(nameof(tampering), tampering, null);
        }
    }

    private static ECDsaSecurityKey NewKey(string kid) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid };

    /// <summary>Identity's development signing key, read from its key folder, to mint tokens wrong in one claim only.</summary>
    private ECDsaSecurityKey RealKey()
    {
        var file = Directory.GetFiles(fixture.KeyDirectory, "*.pem").Order(StringComparer.Ordinal).Last();
        var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(File.ReadAllText(file));
        var key = new ECDsaSecurityKey(ecdsa);
        key.KeyId = Base64UrlEncoder.Encode(JsonWebKeyConverter.ConvertFromECDsaSecurityKey(key).ComputeJwkThumbprint());
        return key;
    }

    private static string Mint(Session session, ECDsaSecurityKey key, string issuer = "ahod-identity", string audience = "ahod",
        DateTime? expires = null, DateTime? issuedAt = null)
    {
        var now = issuedAt ?? DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = expires ?? now.AddMinutes(15),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object>
            {
                ["sub"] = session.User.Id.ToString(),
                // The real session, live: only the tampering makes the token wrong.
                ["sid"] = session.Jwt.GetPayloadValue<string>("sid"),
                ["roles"] = new[] { "member", "admin" },
                ["email_verified"] = true,
            },
        });
    }
}
