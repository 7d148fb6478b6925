using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ahod.Gateway.Tests;

public sealed class RoutingTests(GatewayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SignUpSignInMe_ThroughTheGateway_ReachIdentity()
    {
        using var client = fixture.CreateClient();
        var user = await GatewayFixture.SignUpAsync(client, Ct);

        using var signIn = await client.PostAsJsonAsync("/api/auth/signin", new { email = user.Email, password = user.Password }, Ct);
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK, await signIn.Content.ReadAsStringAsync(Ct));
        signIn.Headers.TryGetValues("Set-Cookie", out var cookies).ShouldBeTrue("the refresh cookie must pass the gateway");
        cookies.ShouldNotBeEmpty();
        var token = (await signIn.Content.ReadFromJsonAsync<JsonObject>(Ct))!["accessToken"]!.GetValue<string>();

        using var me = new HttpRequestMessage(HttpMethod.Get, "/api/auth/me");
        me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(me, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
        body["id"]!.GetValue<string>().ShouldBe(user.Id);
        body["userName"]!.GetValue<string>().ShouldBe(user.UserName);
    }

    [Theory]
    [InlineData("/internal/export")]
    [InlineData("/internal")]
    [InlineData("/INTERNAL/users/export")]
    [InlineData("/%69nternal/export")]
    public async Task InternalPaths_AreNeverRouted(string path)
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task PathWithoutRoute_Returns404ProblemDetails()
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync(new Uri("/not-routed/anything", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task RouteToServiceNotDeployed_Returns503ProblemDetails()
    {
        using var client = fixture.CreateClient();
        var user = await GatewayFixture.SignUpAsync(client, Ct);

        using var publicGet = await client.GetAsync(new Uri("/ghost/things", UriKind.Relative), Ct);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/ghost/things");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
        using var protectedGet = await client.SendAsync(request, Ct);

        foreach (var response in new[] { publicGet, protectedGet })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
            var problem = (await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!;
            problem["title"]!.GetValue<string>().ShouldBe("Service not available");
            problem["status"]!.GetValue<int>().ShouldBe(503);
        }
    }

    [Fact]
    public async Task ServiceRefusingConnections_Returns502ProblemDetails()
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync(new Uri("/dead/anything", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadGateway);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task ServiceTooSlowToAnswer_Returns504ProblemDetails()
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync(new Uri("/slow?ms=30000", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.GatewayTimeout);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
    }

    [Fact]
    public async Task ResponseBody_IsStreamedNotBuffered()
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync(new Uri("/stream", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));

        // The probe waits 3 s before its second line: the first must arrive well before that.
        using var soon = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        soon.CancelAfter(TimeSpan.FromSeconds(2));
        (await reader.ReadLineAsync(soon.Token)).ShouldBe("first");
        (await reader.ReadLineAsync(Ct)).ShouldBe("second");
    }

    [Fact]
    public async Task Jwks_IsServedThroughTheGateway()
    {
        using var client = fixture.CreateClient();
        var jwks = await client.GetFromJsonAsync<JsonObject>("/.well-known/jwks.json", Ct);

        jwks!["keys"]!.AsArray().ShouldNotBeEmpty();
    }
}
