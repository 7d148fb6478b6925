using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ahod.Gateway.Tests;

public sealed class DocsTests(GatewayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Docs_ServesSwaggerUiListingEveryRoutedService()
    {
        using var client = fixture.CreateClient();
        using var page = await client.GetAsync(new Uri("/docs/index.html", UriKind.Relative), Ct);
        var config = await client.GetStringAsync(new Uri("/docs/index.js", UriKind.Relative), Ct);

        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        page.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        (await page.Content.ReadAsStringAsync(Ct)).ShouldContain("swagger-ui");
        page.Headers.GetValues("Content-Security-Policy").Single().ShouldStartWith("default-src 'self'");
        foreach (var service in new[] { "identity", "payments", "savings", "marketplace", "chat" })
        {
            config.ShouldContain($"/openapi/{service}/v1.json");
        }
    }

    [Fact]
    public async Task Docs_WithoutPath_RedirectsToTheUi()
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync(new Uri("/docs", UriKind.Relative), Ct);

        ((int)response.StatusCode).ShouldBeInRange(301, 308);
        response.Headers.Location!.ToString().ShouldEndWith("index.html");
    }

    [Fact]
    public async Task OpenApiDocument_OfIdentity_IsProxied()
    {
        using var client = fixture.CreateClient();
        var document = await client.GetFromJsonAsync<JsonObject>("/openapi/identity/v1.json", Ct);

        document!["openapi"]!.GetValue<string>().ShouldStartWith("3.");
        document["paths"]!.AsObject().Select(p => p.Key).ShouldContain(p => p.StartsWith("/api/auth/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenApiDocument_OfUnroutedService_Returns404()
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync(new Uri("/openapi/probe-admin/v1.json", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
