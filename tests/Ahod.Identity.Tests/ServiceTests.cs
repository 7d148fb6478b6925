using System.Net;
using System.Text.Json;

namespace Ahod.Identity.Tests;

public sealed class ServiceTests(IdentityAppFixture fixture)
{
    private readonly IdentityApi _api = new(fixture);
    private readonly HttpClient _direct = fixture.CreateDirectClient();

    [Fact]
    public async Task OpenApi_DescribesTheIdentityEndpoints()
    {
        using var response = await _direct.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var paths = (await _api.ReadAsync<JsonElement>(response)).GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        paths.ShouldContain("/api/auth/signup");
        paths.ShouldContain("/api/auth/signin");
        paths.ShouldContain("/api/users/{id}");
        paths.ShouldContain("/api/users/me/export");
    }

    [Fact]
    public async Task Health_IsHealthyWithItsDependencies()
    {
        using var response = await _direct.GetAsync("/health", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}
