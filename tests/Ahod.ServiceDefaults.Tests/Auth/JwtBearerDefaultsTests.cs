using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.IdentityModel.Tokens;

namespace Ahod.ServiceDefaults.Tests.Auth;

public sealed class JwtBearerDefaultsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<KestrelApp> StartServiceAsync(IdentityStub identity) =>
        KestrelApp.StartAsync(
            app =>
            {
                app.MapDefaultEndpoints();
                app.MapGet("/me", (ClaimsPrincipal user) => new
                {
                    id = user.GetUserId(),
                    name = user.Identity!.Name,
                    isAdmin = user.IsInRole("admin"),
                }).RequireAuthorization();
                app.MapGet("/admin", () => "ok").RequireAuthorization(policy => policy.RequireRole("admin"));
            },
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["services:identity:http:0"] = identity.BaseAddress.ToString(),
                    // No Redis listens here: the revocation check fails open (gateway tests cover revocation with a real Redis).
                    ["ConnectionStrings:redis"] = "127.0.0.1:1,connectTimeout=200",
                });
                builder.AddServiceDefaults();
                builder.AddJwtBearerDefaults();
            });

    private static async Task<HttpResponseMessage> GetAsync(KestrelApp service, string path, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await service.CreateClient().SendAsync(request, Ct);
    }

    [Fact]
    public async Task ValidToken_IsAccepted_WithSubAndRolesKeptAsIs()
    {
        await using var identity = await IdentityStub.StartAsync();
        await using var service = await StartServiceAsync(identity);
        var userId = Guid.CreateVersion7();

        using var response = await GetAsync(service, "/me", identity.IssueToken(userId, ["admin", "member"]));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync(Ct);
        body.ShouldContain($"\"id\":\"{userId}\"");
        body.ShouldContain($"\"name\":\"{userId}\"");
        body.ShouldContain("\"isAdmin\":true");
    }

    [Fact]
    public async Task RolePolicy_UsesTheRolesClaim()
    {
        await using var identity = await IdentityStub.StartAsync();
        await using var service = await StartServiceAsync(identity);

        using var member = await GetAsync(service, "/admin", identity.IssueToken(Guid.NewGuid(), ["member"]));
        using var admin = await GetAsync(service, "/admin", identity.IssueToken(Guid.NewGuid(), ["admin"]));

        member.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        admin.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task NoToken_Returns401()
    {
        await using var identity = await IdentityStub.StartAsync();
        await using var service = await StartServiceAsync(identity);

        using var response = await service.CreateClient().GetAsync("/me", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Hs256Token_IsRejected()
    {
        await using var identity = await IdentityStub.StartAsync();
        await using var service = await StartServiceAsync(identity);
        var symmetric = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("a-shared-secret-that-is-long-enough-for-hs256")) { KeyId = "key-1" };

        var token = identity.IssueToken(Guid.NewGuid(), credentials: new SigningCredentials(symmetric, SecurityAlgorithms.HmacSha256));
        using var response = await GetAsync(service, "/me", token);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task UnsignedToken_IsRejected()
    {
        await using var identity = await IdentityStub.StartAsync();
        await using var service = await StartServiceAsync(identity);
        var signed = identity.IssueToken(Guid.NewGuid());
        var parts = signed.Split('.');
        var unsigned = $"{Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""")}.{parts[1]}.";

        using var response = await GetAsync(service, "/me", unsigned);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Theory]
    [InlineData("someone-else", "ahod")]
    [InlineData("ahod-identity", "another-audience")]
    public async Task WrongIssuerOrAudience_IsRejected(string issuer, string audience)
    {
        await using var identity = await IdentityStub.StartAsync();
        await using var service = await StartServiceAsync(identity);

        using var response = await GetAsync(service, "/me", identity.IssueToken(Guid.NewGuid(), issuer: issuer, audience: audience));

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ExpiredBeyondClockSkew_IsRejected_ButWithinSkewIsAccepted()
    {
        await using var identity = await IdentityStub.StartAsync();
        await using var service = await StartServiceAsync(identity);

        using var expired = await GetAsync(service, "/me", identity.IssueToken(Guid.NewGuid(), expires: DateTime.UtcNow.AddSeconds(-60)));
        using var withinSkew = await GetAsync(service, "/me", identity.IssueToken(Guid.NewGuid(), expires: DateTime.UtcNow.AddSeconds(-10)));

        expired.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        withinSkew.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Jwks_IsCached_AndRefetchedWhenAnUnknownKidArrives()
    {
        await using var identity = await IdentityStub.StartAsync();
        await using var service = await StartServiceAsync(identity);

        for (var i = 0; i < 3; i++)
        {
            using var response = await GetAsync(service, "/me", identity.IssueToken(Guid.NewGuid()));
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        identity.JwksHits.ShouldBe(1);

        identity.RotateKey("key-2");
        using var afterRotation = await GetAsync(service, "/me", identity.IssueToken(Guid.NewGuid()));

        afterRotation.StatusCode.ShouldBe(HttpStatusCode.OK);
        identity.JwksHits.ShouldBe(2);
    }

    [Fact]
    public void GetUserId_ReadsSub_AndThrowsWithoutIt()
    {
        var userId = Guid.CreateVersion7();
        var user = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", userId.ToString())], "test"));

        user.GetUserId().ShouldBe(userId);
        Should.Throw<InvalidOperationException>(() => new ClaimsPrincipal(new ClaimsIdentity()).GetUserId());
    }
}
