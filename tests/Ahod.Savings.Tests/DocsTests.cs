using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ahod.Testing;

namespace Ahod.Savings.Tests;

/// <summary>
/// The API reference at the gateway of a deployment with Identity, Payments and Savings (chat and marketplace are routed but
/// not deployed): what /docs lists, and that each document stands on its own as a client would use it.
/// </summary>
public sealed partial class DocsTests(SavingsAppFixture fixture)
{
    private readonly HttpClient _client = fixture.CreateClient();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Docs_ListsExactlyTheDeployedServices()
    {
        using var page = await _client.GetAsync(new Uri("/docs/", UriKind.Relative), Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        page.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        var listed = DocumentLink().Matches(html).Select(m => m.Groups["service"].Value).ToList();
        listed.Distinct().ShouldBe(["identity", "payments", "savings"], ignoreOrder: true, html);
        listed[0].ShouldBe("identity", "the document the page opens on");
        foreach (var missing in new[] { "chat", "marketplace" })
        {
            using var response = await _client.GetAsync(new Uri($"/openapi/{missing}/v1.json", UriKind.Relative), Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, missing);
        }
    }

    [Theory]
    [InlineData("identity", "/api/auth/me")]
    [InlineData("payments", "/api/payments/accounts")]
    [InlineData("savings", "/api/communities")]
    public async Task Document_IsValidOpenApiWithTheGatewayAsServerAndTheBearerScheme(string service, string protectedPath)
    {
        var document = await OpenApiDocuments.ReadValidAsync(_client, $"/openapi/{service}/v1.json", Ct);

        document.GetProperty("openapi").GetString()!.ShouldStartWith("3.");
        document.GetProperty("info").GetProperty("description").GetString()!.Length.ShouldBeGreaterThan(40);
        document.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()!.TrimEnd('/'))
            .ShouldBe([_client.BaseAddress!.GetLeftPart(UriPartial.Authority)]);
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        bearer.GetProperty("scheme").GetString().ShouldBe("bearer");
        var operation = document.GetProperty("paths").GetProperty(protectedPath).GetProperty("get");
        operation.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject()).Select(p => p.Name).ShouldBe(["Bearer"]);

        var paths = document.GetProperty("paths").EnumerateObject().ToList();
        paths.ShouldNotContain(p => p.Name.StartsWith("/internal", StringComparison.Ordinal), "the service-to-service API is not public");
        foreach (var (path, method, op) in paths.SelectMany(p => p.Value.EnumerateObject().Select(m => (p.Name, m.Name, m.Value))))
        {
            (op.TryGetProperty("summary", out var summary) && summary.GetString()!.Length > 0).ShouldBeTrue($"{method} {path} has a summary");
        }
    }

    [Fact]
    public async Task PaymentsDocument_TypesSendMoney()
    {
        var document = await OpenApiDocuments.ReadValidAsync(_client, "/openapi/payments/v1.json", Ct);
        var send = document.GetProperty("paths").GetProperty("/api/payments/send").GetProperty("post");

        var body = OpenApiDocuments.Resolve(document, send.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        body.GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldBe(["fromAccountId", "toUserId", "amount", "memo"], ignoreOrder: true);
        var responses = send.GetProperty("responses");
        var created = OpenApiDocuments.Resolve(document, responses.GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        created.GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldContain("status");
        created.GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldContain("amount");
        var invalid = OpenApiDocuments.Resolve(document, responses.GetProperty("400").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema"));
        invalid.GetProperty("properties").TryGetProperty("errors", out _).ShouldBeTrue(invalid.ToString());
        foreach (var refusal in new[] { "403", "404", "409", "422" })
        {
            responses.TryGetProperty(refusal, out _).ShouldBeTrue(refusal);
        }

        var key = send.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Idempotency-Key");
        key.GetProperty("in").GetString().ShouldBe("header");
        key.GetProperty("required").GetBoolean().ShouldBeTrue();

        var deposit = document.GetProperty("paths").GetProperty("/api/payments/deposit").GetProperty("post").GetProperty("responses");
        deposit.TryGetProperty("202", out _).ShouldBeTrue("a deposit that settles later is 202");
    }

    [Fact]
    public async Task SavingsDocument_TypesCreateCommunity()
    {
        var document = await OpenApiDocuments.ReadValidAsync(_client, "/openapi/savings/v1.json", Ct);
        var create = document.GetProperty("paths").GetProperty("/api/communities").GetProperty("post");

        var responses = create.GetProperty("responses");
        var created = OpenApiDocuments.Resolve(document, responses.GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema"));
        created.GetProperty("properties").EnumerateObject().Select(p => p.Name).ShouldContain("contribution");
        responses.TryGetProperty("400", out _).ShouldBeTrue();
        create.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _).ShouldBeTrue();
    }

    [GeneratedRegex("openapi(/|\\\\/|\\\\u002F)(?<service>[a-z0-9-]+)(/|\\\\/|\\\\u002F)v1\\.json")]
    private static partial Regex DocumentLink();
}
