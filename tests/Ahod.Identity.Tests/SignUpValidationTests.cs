using System.Net;
using System.Net.Http.Json;
using System.Text;

namespace Ahod.Identity.Tests;

public sealed class SignUpValidationTests(IdentityAppFixture fixture)
{
    private readonly IdentityApi _api = new(fixture);

    [Fact]
    public async Task SignUp_DuplicateEmailInOtherCase_Returns409()
    {
        var first = IdentityApi.NewUser();
        await _api.SignUpAsync(first);
        var second = IdentityApi.NewUser() with { Email = first.Email.ToUpperInvariant() };

        using var response = await _api.PostSignUpAsync(second);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var problem = await IdentityApi.ReadProblemAsync(response);
        problem.GetProperty("status").GetInt32().ShouldBe(409);
        problem.GetProperty("errors").TryGetProperty("email", out _).ShouldBeTrue();
        (await _api.QueryAsync<long>("SELECT count(*) FROM users WHERE user_name = $1", second.UserName)).ShouldBe(0);
    }

    [Fact]
    public async Task SignUp_DuplicateUserName_Returns409()
    {
        var first = IdentityApi.NewUser();
        await _api.SignUpAsync(first);
        var second = IdentityApi.NewUser() with { UserName = first.UserName };

        using var response = await _api.PostSignUpAsync(second);

        response.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await IdentityApi.ReadProblemAsync(response)).GetProperty("errors").TryGetProperty("userName", out _).ShouldBeTrue();
    }

    public static TheoryData<string, string> BadInputs()
    {
        var data = new TheoryData<string, string>();
        void Add(string field, Func<Dictionary<string, object?>, Dictionary<string, object?>> change) => data.Add(field, System.Text.Json.JsonSerializer.Serialize(change(Valid())));
        Add("email", b => { b.Remove("email"); return b; });
        Add("password", b => { b.Remove("password"); return b; });
        Add("userName", b => { b.Remove("userName"); return b; });
        Add("firstName", b => { b.Remove("firstName"); return b; });
        Add("lastName", b => { b["lastName"] = "   "; return b; });
        Add("email", b => { b["email"] = "not-an-email"; return b; });
        Add("email", b => { b["email"] = "two@@ahod.test"; return b; });
        Add("password", b => { b["password"] = b["passwordConfirmation"] = "short-pw"; return b; });
        Add("password", b => { b["password"] = b["passwordConfirmation"] = b["email"]; return b; });
        Add("password", b => { b["password"] = b["passwordConfirmation"] = b["userName"] + "_long_enough"; b["userName"] = b["password"]; return b; });
        Add("passwordConfirmation", b => { b["passwordConfirmation"] = "something else entirely"; return b; });
        Add("userName", b => { b["userName"] = "ab"; return b; });
        Add("userName", b => { b["userName"] = "Has Spaces"; return b; });
        Add("userName", b => { b["userName"] = "UPPER_case"; return b; });
        Add("userName", b => { b["userName"] = new string('a', 33); return b; });
        return data;
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task SignUp_BadInput_Returns400WithFieldErrorAndStoresNothing(string field, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _api.Client.PostAsync("/api/auth/signup", content, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var problem = await IdentityApi.ReadProblemAsync(response);
        var errors = problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ToList();
        errors.ShouldContain(field, $"errors were: {string.Join(", ", errors)}");
        await AssertNothingStoredAsync(json);
    }

    [Fact]
    public async Task SignUp_WrongContentType_Returns415AndStoresNothing()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(Valid());
        using var content = new StringContent(json, Encoding.UTF8, "text/plain");
        using var response = await _api.Client.PostAsync("/api/auth/signup", content, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await IdentityApi.ReadProblemAsync(response)).GetProperty("status").GetInt32().ShouldBe(415);
        await AssertNothingStoredAsync(json);
    }

    [Fact]
    public async Task SignUp_MalformedJson_Returns400()
    {
        using var content = new StringContent("{\"email\": \"x@ahod.test\", \"password\": ", Encoding.UTF8, "application/json");
        using var response = await _api.Client.PostAsync("/api/auth/signup", content, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await IdentityApi.ReadProblemAsync(response)).GetProperty("status").GetInt32().ShouldBe(400);
    }

    [Fact]
    public async Task SignUp_PublishesUserRegisteredThroughTheOutbox()
    {
        var session = await _api.SignUpAsync();

        (await _api.QueryAsync<long>(
            "SELECT count(*) FROM outbox_messages WHERE type = 'user.registered' AND payload->>'userId' = $1",
            session.User.Id.ToString())).ShouldBe(1);
    }

    private static Dictionary<string, object?> Valid()
    {
        var user = IdentityApi.NewUser();
        return new()
        {
            ["email"] = user.Email,
            ["password"] = user.Password,
            ["passwordConfirmation"] = user.PasswordConfirmation,
            ["userName"] = user.UserName,
            ["firstName"] = user.FirstName,
            ["lastName"] = user.LastName,
        };
    }

    private async Task AssertNothingStoredAsync(string json)
    {
        using var body = System.Text.Json.JsonDocument.Parse(json);
        var email = body.RootElement.TryGetProperty("email", out var e) ? e.GetString() ?? "" : "";
        var userName = body.RootElement.TryGetProperty("userName", out var u) ? u.GetString() ?? "" : "";
        (await _api.QueryAsync<long>("SELECT count(*) FROM users WHERE normalized_email = lower($1) OR user_name = $2", email, userName)).ShouldBe(0);
    }
}
