using System.Net;

namespace Ahod.Identity.Tests;

public sealed class UsersTests(IdentityAppFixture fixture)
{
    private readonly IdentityApi _api = new(fixture);

    [Fact]
    public async Task GetUser_ShowsEmailToOwnerAndAdminOnly()
    {
        var owner = await _api.SignUpAsync();
        var other = await _api.SignUpAsync();
        var admin = await fixture.GetAdminAsync();

        (await GetUserAsync(owner.User.Id, owner.AccessToken)).Email.ShouldBe(owner.User.Email);
        (await GetUserAsync(owner.User.Id, admin.AccessToken)).Email.ShouldBe(owner.User.Email);
        var seenByOther = await GetUserAsync(owner.User.Id, other.AccessToken);
        seenByOther.Email.ShouldBeNull();
        seenByOther.UserName.ShouldBe(owner.User.UserName);
    }

    [Fact]
    public async Task GetUser_Unknown_Returns404_AndAnonymous_Returns401()
    {
        var session = await _api.SignUpAsync();

        using var unknown = await _api.SendAsync(HttpMethod.Get, $"/api/users/{Guid.NewGuid()}", session.AccessToken);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        using var anonymous = await _api.SendAsync(HttpMethod.Get, $"/api/users/{session.User.Id}", null);
        anonymous.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task PatchUser_Self_UpdatesProfileAndPublishesUserUpdated()
    {
        var session = await _api.SignUpAsync();
        var newName = $"n_{Guid.NewGuid():N}"[..20];

        using var response = await _api.SendAsync(HttpMethod.Patch, $"/api/users/{session.User.Id}", session.AccessToken,
            new { firstName = "Grace", userName = newName, photoUrl = "https://cdn.ahod.test/me.png" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var user = await _api.ReadAsync<UserDto>(response);
        user.FirstName.ShouldBe("Grace");
        user.LastName.ShouldBe(session.User.LastName);
        user.UserName.ShouldBe(newName);
        user.PhotoUrl.ShouldBe("https://cdn.ahod.test/me.png");
        (await _api.QueryAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE type = 'user.updated' AND payload->>'userId' = $1 AND payload->>'firstName' = 'Grace'",
            session.User.Id.ToString())).ShouldBe(1);
    }

    [Fact]
    public async Task PatchUser_Other_Returns403_ButAdminCan()
    {
        var victim = await _api.SignUpAsync();
        var attacker = await _api.SignUpAsync();
        var admin = await fixture.GetAdminAsync();

        using (var forbidden = await _api.SendAsync(HttpMethod.Patch, $"/api/users/{victim.User.Id}", attacker.AccessToken, new { firstName = "Mallory" }))
        {
            forbidden.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await IdentityApi.ReadProblemAsync(forbidden)).GetProperty("status").GetInt32().ShouldBe(403);
        }

        (await _api.QueryAsync<string>("SELECT first_name FROM users WHERE id = $1", victim.User.Id)).ShouldBe(victim.User.FirstName);

        using var byAdmin = await _api.SendAsync(HttpMethod.Patch, $"/api/users/{victim.User.Id}", admin.AccessToken, new { lastName = "Moderated" });
        byAdmin.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _api.ReadAsync<UserDto>(byAdmin)).LastName.ShouldBe("Moderated");
    }

    [Fact]
    public async Task PatchUser_TakenUserNameOrBadPhoto_IsRefused()
    {
        var taken = await _api.SignUpAsync();
        var session = await _api.SignUpAsync();

        using var conflict = await _api.SendAsync(HttpMethod.Patch, $"/api/users/{session.User.Id}", session.AccessToken, new { userName = taken.User.UserName });
        conflict.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        using var badName = await _api.SendAsync(HttpMethod.Patch, $"/api/users/{session.User.Id}", session.AccessToken, new { userName = "NO SPACES" });
        badName.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        using var badPhoto = await _api.SendAsync(HttpMethod.Patch, $"/api/users/{session.User.Id}", session.AccessToken, new { photoUrl = "javascript:alert(1)" });
        badPhoto.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Search_ByPrefixOfUserNameFirstOrLastName_CaseInsensitive_AtMost20()
    {
        var tag = $"Zq{Guid.NewGuid():N}"[..10];
        var viewer = await _api.SignUpAsync();
        for (var i = 0; i < 22; i++)
        {
            await _api.SignUpAsync(IdentityApi.NewUser(lastName: $"{tag}son{i}"));
        }

        var byFirst = await _api.SignUpAsync(IdentityApi.NewUser(firstName: $"{tag}First"));

        var many = await SearchAsync(tag.ToUpperInvariant(), viewer.AccessToken);
        many.Count.ShouldBe(20);
        many.ShouldAllBe(u => u.Email == null);

        (await SearchAsync($"{tag}fir", viewer.AccessToken)).Select(u => u.Id).ShouldBe([byFirst.User.Id]);
        (await SearchAsync(viewer.User.UserName[..10], viewer.AccessToken)).Select(u => u.Id).ShouldContain(viewer.User.Id);
        (await SearchAsync($"{tag}%", viewer.AccessToken)).ShouldBeEmpty("LIKE wildcards in the query are literal");
        (await SearchAsync($"x{tag}", viewer.AccessToken)).ShouldBeEmpty("prefix, not substring");
    }

    [Fact]
    public async Task Search_WithoutQuery_Returns400()
    {
        var session = await _api.SignUpAsync();

        using var response = await _api.SendAsync(HttpMethod.Get, "/api/users?q=", session.AccessToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Roles_OnlyAdminGrants_AndTheNextTokenCarriesThem()
    {
        var member = await _api.SignUpAsync();
        var admin = await fixture.GetAdminAsync();
        admin.User.Roles.ShouldContain("admin");

        using (var self = await _api.SendAsync(HttpMethod.Post, $"/api/users/{member.User.Id}/roles", member.AccessToken, new { role = "admin" }))
        {
            self.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }

        using (var bogus = await _api.SendAsync(HttpMethod.Post, $"/api/users/{member.User.Id}/roles", admin.AccessToken, new { role = "superuser" }))
        {
            bogus.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        }

        using (var grant = await _api.SendAsync(HttpMethod.Post, $"/api/users/{member.User.Id}/roles", admin.AccessToken, new { role = "provider" }))
        {
            grant.StatusCode.ShouldBe(HttpStatusCode.OK);
            (await _api.ReadAsync<UserDto>(grant)).Roles.ShouldBe(["member", "provider"]);
        }

        var refreshed = await _api.RefreshAsync(member);
        refreshed.User.Roles.ShouldBe(["member", "provider"]);
        refreshed.Jwt.Claims.Where(c => c.Type == "roles").Select(c => c.Value).ShouldBe(["member", "provider"]);

        using var revoke = await _api.SendAsync(HttpMethod.Delete, $"/api/users/{member.User.Id}/roles/provider", admin.AccessToken);
        revoke.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await _api.ReadAsync<UserDto>(revoke)).Roles.ShouldBe(["member"]);
    }

    private async Task<UserDto> GetUserAsync(Guid id, string accessToken)
    {
        using var response = await _api.SendAsync(HttpMethod.Get, $"/api/users/{id}", accessToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return await _api.ReadAsync<UserDto>(response);
    }

    private async Task<List<UserDto>> SearchAsync(string q, string accessToken)
    {
        using var response = await _api.SendAsync(HttpMethod.Get, $"/api/users?q={Uri.EscapeDataString(q)}", accessToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (await _api.ReadAsync<SearchResult>(response)).Items;
    }

    private sealed record SearchResult(List<UserDto> Items, string? NextCursor);
}
