using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Ahod.Gateway.Tests;

/// <summary>
/// Protected calls go to /api/ghost, whose service is never deployed: a 401 there can only come from the gateway,
/// and a token the gateway accepts gets 503 instead.
/// </summary>
public sealed class EdgeAuthenticationTests(GatewayFixture fixture)
{
    private const string Protected = "/api/ghost/accounts";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProtectedRoute_WithoutToken_Returns401ProblemDetailsWithBearerChallenge()
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync(new Uri(Protected, UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ShouldContain(h => h.Scheme == "Bearer");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["status"]!.GetValue<int>().ShouldBe(401);
    }

    [Fact]
    public async Task TokenSignedWithIdentitysKey_PassesTheEdge()
    {
        using var client = fixture.CreateClient();
        var kid = await Tokens.IdentityKeyIdAsync(client, Ct);
        var token = Tokens.Mint(fixture.SigningKey, kid, Guid.NewGuid().ToString());

        using var response = await SendAsync(client, token);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
    }

    [Theory]
    [InlineData("alg-none")]
    [InlineData("wrong-key")]
    [InlineData("expired")]
    [InlineData("wrong-audience")]
    [InlineData("wrong-issuer")]
    [InlineData("garbage")]
    public async Task TamperedToken_Returns401AtTheEdge(string tampering)
    {
        using var client = fixture.CreateClient();
        var kid = await Tokens.IdentityKeyIdAsync(client, Ct);
        var subject = Guid.NewGuid().ToString();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var token = tampering switch
        {
            "alg-none" => Tokens.WithAlgNone(Tokens.Mint(fixture.SigningKey, kid, subject)),
            "wrong-key" => Tokens.Mint(otherKey, kid, subject),
            "expired" => Tokens.Mint(fixture.SigningKey, kid, subject, expires: DateTime.UtcNow.AddMinutes(-5)),
            "wrong-audience" => Tokens.Mint(fixture.SigningKey, kid, subject, audience: "someone-else"),
            "wrong-issuer" => Tokens.Mint(fixture.SigningKey, kid, subject, issuer: "evil-identity"),
            _ => "not.a.jwt",
        };

        using var response = await SendAsync(client, token);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ShouldContain(h => h.Scheme == "Bearer");
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task RealAccessToken_IsAcceptedAndRejectedOnlyWhenTampered()
    {
        using var client = fixture.CreateClient();
        var user = await GatewayFixture.SignUpAsync(client, Ct);
        var parts = user.AccessToken.Split('.');
        var flipped = parts[2][..^2] + (parts[2][^2] == 'A' ? 'B' : 'A') + parts[2][^1];

        using var good = await SendAsync(client, user.AccessToken);
        using var bad = await SendAsync(client, $"{parts[0]}.{parts[1]}.{flipped}");

        good.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        bad.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Protected);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request, Ct);
    }
}
