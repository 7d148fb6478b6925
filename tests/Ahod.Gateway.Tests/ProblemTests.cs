using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ahod.Gateway.Tests;

/// <summary>
/// What Kestrel used to answer with an empty body (414, 431) is ProblemDetails, and every problem carries type,
/// instance and traceId. Past Kestrel's own limits (four times the gateway's) Kestrel still answers bare: it refuses
/// those while parsing, before any middleware runs.
/// </summary>
public sealed class ProblemTests(GatewayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static void ShouldBeComplete(JsonObject problem, int status, string instance)
    {
        problem["status"]!.GetValue<int>().ShouldBe(status);
        problem["type"]?.GetValue<string>().ShouldStartWith("https://");
        problem["type"].ShouldNotBeNull(problem.ToJsonString());
        problem["title"].ShouldNotBeNull();
        problem["instance"]!.GetValue<string>().ShouldBe(instance);
        problem["traceId"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task UriOverTheLimit_Returns414ProblemDetails()
    {
        using var client = fixture.CreateClient();

        using var response = await client.GetAsync("/api/listings?q=" + new string('a', 9_000), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestUriTooLong);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        ShouldBeComplete((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!, 414, "/api/listings");
    }

    [Fact]
    public async Task UriUnderTheLimit_IsForwarded()
    {
        using var client = fixture.CreateClient();

        using var response = await client.GetAsync("/headers?q=" + new string('a', 7_000), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData(1, 20_000)]
    [InlineData(150, 10)]
    public async Task HeadersOverTheLimit_Return431ProblemDetails(int count, int size)
    {
        using var client = fixture.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/headers");
        for (var i = 0; i < count; i++)
        {
            request.Headers.Add($"X-Big-{i}", new string('b', size));
        }

        using var response = await client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestHeaderFieldsTooLarge);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        ShouldBeComplete((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!, 431, "/headers");
    }

    [Fact]
    public async Task ErrorsFromServicesAndTheGateway_CarryTypeInstanceAndTraceId()
    {
        using var client = fixture.CreateClient();
        foreach (var (path, status) in new[] { ("/api/auth/me", 401), ("/nope", 404), ("/ghost/x", 503) })
        {
            using var response = await client.GetAsync(path, Ct);
            ((int)response.StatusCode).ShouldBe(status);
            ShouldBeComplete((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!, status, path);
        }
    }
}
