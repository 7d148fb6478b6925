using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ahod.Testing;

namespace Ahod.Gateway.Tests;

/// <summary>
/// /docs and the documents behind it, in this fixture's deployment: identity, payments, savings, the probe and the dead
/// service have an endpoint; marketplace, chat and ghost are routed but not deployed.
/// </summary>
public sealed partial class DocsTests(GatewayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Docs_ServesTheApiReferenceListingExactlyTheDeployedServices()
    {
        using var client = fixture.CreateClient();
        using var page = await client.GetAsync(new Uri("/docs/", UriKind.Relative), Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        page.StatusCode.ShouldBe(HttpStatusCode.OK, html);
        page.Content.Headers.ContentType?.MediaType.ShouldBe("text/html");
        html.ShouldContain("scalar", Case.Insensitive);
        DocumentLink().Matches(html).Select(m => m.Groups["service"].Value).Distinct().ShouldBe(["identity", "payments", "savings", "probe", "dead"], ignoreOrder: true, html);
        // Identity opens first: the default document is one that exists.
        var services = DocumentLink().Matches(html).Select(m => m.Groups["service"].Value).ToList();
        services[0].ShouldBe("identity");
    }

    [Fact]
    public async Task Docs_InlineScriptRunsOnlyUnderTheResponsesNonce()
    {
        using var client = fixture.CreateClient();
        using var page = await client.GetAsync(new Uri("/docs/", UriKind.Relative), Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);

        var csp = page.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = Nonce().Match(csp);
        nonce.Success.ShouldBeTrue(csp);
        var scripts = csp.Split(';').Select(d => d.Trim()).Single(d => d.StartsWith("script-src ", StringComparison.Ordinal));
        scripts.ShouldBe($"script-src 'self' 'nonce-{nonce.Groups["nonce"].Value}'");
        html.ShouldContain($"nonce=\"{nonce.Groups["nonce"].Value}\"");
        (page.Headers.CacheControl?.NoStore ?? false).ShouldBeTrue("a nonced page is never cached");
    }

    [Fact]
    public async Task Docs_WithoutTrailingSlash_RedirectsToTheReference()
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync(new Uri("/docs", UriKind.Relative), Ct);

        ((int)response.StatusCode).ShouldBeInRange(301, 308);
        response.Headers.Location!.ToString().TrimStart('/').ShouldBe("docs/");
    }

    [Fact]
    public async Task OpenApiDocument_OfIdentity_NamesTheGatewayAsServerAndDeclaresTheBearerScheme()
    {
        using var client = fixture.CreateClient();
        var document = await OpenApiDocuments.ReadValidAsync(client, "/openapi/identity/v1.json", Ct);

        document.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()!.TrimEnd('/'))
            .ShouldBe([fixture.GatewayEndpoint.GetLeftPart(UriPartial.Authority)]);
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        bearer.GetProperty("type").GetString().ShouldBe("http");
        bearer.GetProperty("scheme").GetString().ShouldBe("bearer");
        var me = document.GetProperty("paths").GetProperty("/api/auth/me").GetProperty("get");
        me.GetProperty("security").EnumerateArray().SelectMany(r => r.EnumerateObject()).Select(p => p.Name).ShouldBe(["Bearer"]);
        var signIn = document.GetProperty("paths").GetProperty("/api/auth/signin").GetProperty("post");
        signIn.TryGetProperty("security", out _).ShouldBeFalse("signing in needs no token");
        signIn.GetProperty("summary").GetString().ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [InlineData("chat")]
    [InlineData("marketplace")]
    [InlineData("ghost")]
    [InlineData("probe-admin")]
    public async Task OpenApiDocument_OfAServiceNotDeployedHere_Returns404ProblemDetails(string service)
    {
        using var client = fixture.CreateClient();
        using var response = await client.GetAsync(new Uri($"/openapi/{service}/v1.json", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        problem.RootElement.GetProperty("status").GetInt32().ShouldBe(404);
    }

    [GeneratedRegex("openapi(/|\\\\/|\\\\u002F)(?<service>[a-z0-9-]+)(/|\\\\/|\\\\u002F)v1\\.json")]
    private static partial Regex DocumentLink();

    [GeneratedRegex("script-src [^;]*'nonce-(?<nonce>[^']+)'")]
    private static partial Regex Nonce();
}
