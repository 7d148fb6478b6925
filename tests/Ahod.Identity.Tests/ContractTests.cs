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
            (response.Headers.CacheControl?.NoStore ?? false).ShouldBeTrue($"{path} answers Cache-Control: {response.Headers.CacheControl}");
        }
    }

    [Fact]
    public async Task Erase_WithoutPassword_Returns400PasswordFieldErrorAndKeepsTheAccount()
    {
        var session = await _api.SignUpAsync();

        foreach (var body in new object?[] { null, new { }, new { password = "" } })
        {
            using var response = await _api.SendAsync(HttpMethod.Delete, "/api/users/me", session.AccessToken, body);
            response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(Ct));
            var errors = (await IdentityApi.ReadProblemAsync(response)).GetProperty("errors");
            errors.EnumerateObject().Select(e => e.Name).ShouldBe(["password"], JsonSerializer.Serialize(body));
        }

        (await _api.QueryAsync<long>("SELECT count(*) FROM users WHERE id = $1", session.User.Id)).ShouldBe(1);
        using var me = await _api.SendAsync(HttpMethod.Get, "/api/auth/me", session.AccessToken);
        me.StatusCode.ShouldBe(HttpStatusCode.OK, "the session still works");
    }

    [Fact]
    public async Task OpenApi_DocumentsTheErasureBodyWithItsPassword()
    {
        using var response = await _api.Client.GetAsync("/openapi/identity/v1.json", Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var document = await _api.ReadAsync<JsonElement>(response);

        var path = document.GetProperty("paths").EnumerateObject().Single(p => p.Name.TrimEnd('/') == "/api/users/me").Value;
        var erase = path.GetProperty("delete");
        var schema = erase.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        schema.TryGetProperty("properties", out var properties).ShouldBeTrue(erase.ToString());
        properties.TryGetProperty("password", out _).ShouldBeTrue(schema.ToString());
        schema.GetProperty("required").EnumerateArray().Select(r => r.GetString()).ShouldContain("password");
        erase.GetProperty("responses").EnumerateObject().Select(r => r.Name).ShouldContain("400");
        erase.GetProperty("description").GetString()!.ShouldContain("password");
    }
}
