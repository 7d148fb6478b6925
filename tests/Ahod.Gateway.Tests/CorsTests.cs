using System.Net;

namespace Ahod.Gateway.Tests;

public sealed class CorsTests(GatewayFixture fixture)
{
    private const string WebOrigin = "http://localhost:5173";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Preflight_FromTheWebOrigin_IsAllowedWithCredentials()
    {
        using var client = fixture.CreateClient();
        using var response = await client.SendAsync(Preflight(WebOrigin), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([WebOrigin]);
        response.Headers.GetValues("Access-Control-Allow-Credentials").ShouldBe(["true"]);
        string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")).ShouldContain("POST");
    }

    [Fact]
    public async Task Preflight_FromAnotherOrigin_IsRefused()
    {
        using var client = fixture.CreateClient();
        using var response = await client.SendAsync(Preflight("https://evil.example"), Ct);

        response.Headers.Contains("Access-Control-Allow-Origin").ShouldBeFalse();
    }

    [Fact]
    public async Task SimpleRequest_FromTheWebOrigin_GetsTheAllowOriginHeader()
    {
        using var client = fixture.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/jwks.json");
        request.Headers.Add("Origin", WebOrigin);

        using var response = await client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.GetValues("Access-Control-Allow-Origin").ShouldBe([WebOrigin]);
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/auth/signin");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");
        return request;
    }
}
