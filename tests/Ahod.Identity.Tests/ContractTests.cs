using System.Net;
using System.Text.Json;

namespace Ahod.Identity.Tests;

/// <summary>What a client relies on beyond the happy path, through the gateway: cache headers, field errors, the documented shapes.</summary>
public sealed class ContractTests(IdentityAppFixture fixture)
{
    private readonly IdentityApi _api = new(fixture);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ProfilesMeAndExport_AreNeverCached()
    {
        var me = await _api.SignUpAsync();
        var other = await _api.SignUpAsync();

        foreach (var path in new[] { "/api/auth/me", $"/api/users/{me.User.Id}", $"/api/users/{other.User.Id}", "/api/users/me/export" })
        {
            using var response = await _api.SendAsync(HttpMethod.Get, path, me.AccessToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, path);
            response.Headers.CacheControl?.NoStore.ShouldBe(true, $"{path} answers Cache-Control: {response.Headers.CacheControl}");
        }
    }
}
