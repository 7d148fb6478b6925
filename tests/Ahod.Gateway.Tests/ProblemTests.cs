using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Ahod.Gateway.Tests;

/// <summary>
/// What Kestrel used to answer with an empty body (414, 431) is ProblemDetails, and every problem carries type,
/// instance and traceId. Past Kestrel's own limits (four times the gateway's) Kestrel still answers bare: it refuses
/// those while parsing, before any middleware runs.
/// </summary>
public sealed partial class ProblemTests(GatewayFixture fixture)
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

    [Fact]
    public async Task RuleRefusals_422_CarryTypeInstanceAndTraceId()
    {
        using var client = fixture.CreateClient();
        var user = await GatewayFixture.SignUpAsync(client, Ct);
        using (var verify = await client.PostAsJsonAsync("/api/auth/verify-email", new { email = user.Email, token = await VerificationTokenAsync(user.Email) }, Ct))
        {
            verify.IsSuccessStatusCode.ShouldBeTrue(await verify.Content.ReadAsStringAsync(Ct));
        }

        using var signIn = await client.PostAsJsonAsync("/api/auth/signin", new { email = user.Email, password = user.Password }, Ct);
        var token = (await signIn.Content.ReadFromJsonAsync<JsonObject>(Ct))!["accessToken"]!.GetValue<string>();
        var wallet = await WalletIdAsync(client, token);

        // A handler's own refusal (TypedResults.Problem) and a stored ledger refusal (replayed byte for byte otherwise).
        foreach (var toUserId in new[] { user.Id, Guid.NewGuid().ToString() })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/send")
            {
                Content = JsonContent.Create(new { fromAccountId = wallet, toUserId, amount = new { amount = 100, currency = "USD" } }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
            using var response = await client.SendAsync(request, Ct);

            response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity, await response.Content.ReadAsStringAsync(Ct));
            ShouldBeComplete((await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!, 422, "/api/payments/send");
        }
    }

    private static async Task<string> WalletIdAsync(HttpClient client, string token)
    {
        // Payments opens the wallet when it handles user.registered.
        for (var attempt = 0; attempt < 60; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/payments/accounts");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await client.SendAsync(request, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct);
            var wallets = response.IsSuccessStatusCode ? JsonNode.Parse(body) switch
            {
                JsonArray array => array,
                JsonObject page => page["items"] as JsonArray,
                _ => null,
            } : null;
            if (wallets is { Count: > 0 })
            {
                return wallets[0]!["id"]!.GetValue<string>();
            }

            await Task.Delay(500, Ct);
        }

        throw new TimeoutException("Payments opened no wallet within 30 s.");
    }

    private async Task<string> VerificationTokenAsync(string email)
    {
        var folder = Path.Combine(fixture.App.StateDirectory, "mail");
        for (var attempt = 0; attempt < 40; attempt++)
        {
            foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.eml") : [])
            {
                var text = await File.ReadAllTextAsync(file, Ct);
                if (text.Contains($"To: {email}", StringComparison.OrdinalIgnoreCase) && VerificationLink().Match(text) is { Success: true } link)
                {
                    return Uri.UnescapeDataString(link.Groups["token"].Value);
                }
            }

            await Task.Delay(250, Ct);
        }

        throw new TimeoutException($"No verification email to {email}.");
    }

    [GeneratedRegex(@"\?email=(?<email>[^&\s]+)&token=(?<token>[A-Za-z0-9_%-]+)")]
    private static partial Regex VerificationLink();
}
