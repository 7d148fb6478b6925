using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ahod.Gateway.Tests;

/// <summary>
/// An access token dies with its session at once: after sign-out, after reuse of a rotated refresh token (the family
/// is revoked) and after erasure, the same token gets 401 from the gateway on Identity, Payments and Savings, and
/// from Payments and Savings themselves when called without the gateway (each service checks too).
/// </summary>
public sealed class RevocationTests(GatewayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One protected endpoint per service: Identity, Payments, Savings.</summary>
    private static readonly string[] Protected = ["/api/auth/me", "/api/payments/accounts", "/api/communities"];

    [Fact]
    public async Task SignOut_EndsTheAccessTokenAtOnce()
    {
        using var client = fixture.CreateClient();
        var user = await GatewayFixture.SignUpAsync(client, Ct);
        await AllAnswerAsync(client, user.AccessToken, HttpStatusCode.OK);

        using (var signOut = await Post(client, "/api/auth/signout", user.RefreshCookie))
        {
            signOut.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        await AllAnswerAsync(client, user.AccessToken, HttpStatusCode.Unauthorized);
        await ServicesAnswerDirectlyAsync(user.AccessToken, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RefreshTokenReuse_EndsEveryAccessTokenOfTheFamilyAtOnce()
    {
        using var client = fixture.CreateClient();
        var user = await GatewayFixture.SignUpAsync(client, Ct);
        using var rotated = await Post(client, "/api/auth/refresh", user.RefreshCookie);
        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        // The owner refreshes again with the successor it got, as the web app does before the access token expires.
        using var again = await Post(client, "/api/auth/refresh", GatewayFixture.RefreshCookieOf(rotated));
        again.StatusCode.ShouldBe(HttpStatusCode.OK);
        var newToken = (await again.Content.ReadFromJsonAsync<JsonObject>(Ct))!["accessToken"]!.GetValue<string>();
        await AllAnswerAsync(client, newToken, HttpStatusCode.OK);
        await AllAnswerAsync(client, user.AccessToken, HttpStatusCode.OK);

        // The first refresh token again, after its successor was used: stolen, so the whole family ends, the newest
        // token with it.
        using var reused = await Post(client, "/api/auth/refresh", user.RefreshCookie);
        reused.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);

        await AllAnswerAsync(client, user.AccessToken, HttpStatusCode.Unauthorized);
        await AllAnswerAsync(client, newToken, HttpStatusCode.Unauthorized);
        await ServicesAnswerDirectlyAsync(newToken, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Erasure_EndsTheAccessTokenAtOnce()
    {
        using var client = fixture.CreateClient();
        var user = await GatewayFixture.SignUpAsync(client, Ct);
        await AllAnswerAsync(client, user.AccessToken, HttpStatusCode.OK);

        using var request = new HttpRequestMessage(HttpMethod.Delete, "/api/users/me") { Content = JsonContent.Create(new { password = user.Password }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var erased = await client.SendAsync(request, Ct);
        erased.StatusCode.ShouldBe(HttpStatusCode.NoContent, await erased.Content.ReadAsStringAsync(Ct));

        await AllAnswerAsync(client, user.AccessToken, HttpStatusCode.Unauthorized);
        await ServicesAnswerDirectlyAsync(user.AccessToken, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AnotherSession_OfTheSameUser_LivesOn()
    {
        using var client = fixture.CreateClient();
        var user = await GatewayFixture.SignUpAsync(client, Ct);
        using var signIn = await client.PostAsJsonAsync("/api/auth/signin", new { email = user.Email, password = user.Password }, Ct);
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        var otherDevice = (await signIn.Content.ReadFromJsonAsync<JsonObject>(Ct))!["accessToken"]!.GetValue<string>();

        using (var signOut = await Post(client, "/api/auth/signout", user.RefreshCookie))
        {
            signOut.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        await AllAnswerAsync(client, user.AccessToken, HttpStatusCode.Unauthorized);
        await AllAnswerAsync(client, otherDevice, HttpStatusCode.OK);
    }

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, string cookie)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("Cookie", cookie);
        return client.SendAsync(request, Ct);
    }

    private static async Task AllAnswerAsync(HttpClient client, string token, HttpStatusCode expected)
    {
        foreach (var path in Protected)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, Ct);
            response.StatusCode.ShouldBe(expected, $"{path}: {await response.Content.ReadAsStringAsync(Ct)}");
            if (expected == HttpStatusCode.Unauthorized)
            {
                response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
            }
        }
    }

    /// <summary>Payments and Savings validate tokens themselves, not only behind the gateway.</summary>
    private async Task ServicesAnswerDirectlyAsync(string token, HttpStatusCode expected)
    {
        foreach (var (service, path) in new[] { ("payments", "/api/payments/accounts"), ("savings", "/api/communities") })
        {
            using var direct = new HttpClient { BaseAddress = fixture.App.GetEndpoint(service) };
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await direct.SendAsync(request, Ct);
            response.StatusCode.ShouldBe(expected, $"{service} {path}");
        }
    }
}
