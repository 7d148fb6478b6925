using System.Net;
using System.Net.Http.Json;

namespace Ahod.Gateway.Tests;

/// <summary>The probe behind /headers echoes the headers that reached it.</summary>
public sealed class HeaderTests(GatewayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ClientSentInternalAndForwardingHeaders_AreReplacedByTheGateways()
    {
        using var client = fixture.CreateClient(out var address);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.Add("X-Ahod-User-Id", "00000000-0000-0000-0000-000000000001");
        request.Headers.Add("x-ahod-roles", "admin");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("Forwarded", "for=203.0.113.7");
        request.Headers.Add("X-Custom", "kept");

        var seen = await SendAsync(client, request);

        seen.Keys.ShouldNotContain(k => k.StartsWith("X-Ahod-", StringComparison.OrdinalIgnoreCase));
        seen.ShouldNotContainKey("Forwarded");
        seen["X-Forwarded-For"].ShouldBe(address.ToString());
        seen["X-Forwarded-Proto"].ShouldBe("http");
        seen["X-Forwarded-Host"].ShouldBe(fixture.GatewayEndpoint.Authority);
        seen["X-Custom"].ShouldBe("kept");
        seen["Host"].ShouldNotBe(fixture.GatewayEndpoint.Authority);
    }

    [Fact]
    public async Task TraceContext_IsPropagatedWithTheCallersTraceId()
    {
        const string traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        using var client = fixture.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        request.Headers.Add("traceparent", $"00-{traceId}-00f067aa0ba902b7-01");

        var seen = await SendAsync(client, request);

        var parts = seen["traceparent"].Split('-');
        parts[1].ShouldBe(traceId);
        parts[2].ShouldNotBe("00f067aa0ba902b7", "the gateway's own span is the service's parent");
    }

    [Fact]
    public async Task SecurityHeaders_AreOnProxiedAndGatewayAnswers()
    {
        using var client = fixture.CreateClient();
        foreach (var path in new[] { "/headers", "/api/auth/me", "/nope", "/health" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
            var headers = response.Headers;
            headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"], path);
            headers.GetValues("X-Frame-Options").ShouldBe(["DENY"], path);
            headers.GetValues("Referrer-Policy").ShouldBe(["no-referrer"], path);
            headers.GetValues("Content-Security-Policy").Single().ShouldStartWith("default-src 'self'", Case.Sensitive, path);
            headers.Contains("Permissions-Policy").ShouldBeTrue(path);
            headers.Contains("Server").ShouldBeFalse(path);
            // Plain http in tests: HSTS is only sent over https.
            headers.Contains("Strict-Transport-Security").ShouldBeFalse(path);
        }
    }

    private static async Task<Dictionary<string, string>> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        using var response = await client.SendAsync(request, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var seen = await response.Content.ReadFromJsonAsync<Dictionary<string, string>>(Ct);
        return new Dictionary<string, string>(seen!, StringComparer.OrdinalIgnoreCase);
    }
}
