using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Npgsql;

namespace Ahod.Identity.Tests;

public sealed record SignUpBody(string Email, string Password, string PasswordConfirmation, string UserName, string FirstName, string LastName);

public sealed record UserDto(Guid Id, string? Email, bool? EmailVerified, string UserName, string FirstName, string LastName, string? PhotoUrl, string[] Roles);

public sealed record AuthResultDto(string AccessToken, int ExpiresIn, UserDto User);

/// <summary>A signed-in test user: the body of the auth result plus the refresh token from the cookie.</summary>
public sealed record Session(string AccessToken, string RefreshToken, UserDto User, string Password)
{
    public JsonWebToken Jwt => new(AccessToken);
}

/// <summary>Calls Identity's public API the way the web app does; every test creates its own users with it.</summary>
public sealed class IdentityApi(IdentityAppFixture fixture)
{
    public const string Password = "correct horse battery staple";

    public HttpClient Client { get; } = fixture.CreateClient();

    public static SignUpBody NewUser(string? lastName = null, string? firstName = null)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        return new SignUpBody($"User.{id}@Ahod.Test", Password, Password, $"u_{id}", firstName ?? "Ada", lastName ?? "Lovelace");
    }

    public Task<HttpResponseMessage> PostSignUpAsync(SignUpBody body) =>
        Client.PostAsJsonAsync("/api/auth/signup", body, TestContext.Current.CancellationToken);

    public async Task<Session> SignUpAsync(SignUpBody? body = null)
    {
        body ??= NewUser();
        using var response = await PostSignUpAsync(body);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await ToSessionAsync(response, body.Password);
    }

    public Task<HttpResponseMessage> PostSignInAsync(string email, string password) =>
        Client.PostAsJsonAsync("/api/auth/signin", new { email, password }, TestContext.Current.CancellationToken);

    /// <summary>A sign-in's status and body, the body without its per-request trace id (everything else must match).</summary>
    public async Task<(HttpStatusCode Status, string Body)> SignInOutcomeAsync(string email, string password)
    {
        using var response = await PostSignInAsync(email, password);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return (response.StatusCode, System.Text.RegularExpressions.Regex.Replace(body, "\"traceId\":\"[^\"]*\"", ""));
    }

    public async Task<Session> SignInAsync(string email, string password = Password)
    {
        using var response = await PostSignInAsync(email, password);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await ToSessionAsync(response, password);
    }

    public async Task<HttpResponseMessage> PostWithRefreshCookieAsync(string path, string? refreshToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (refreshToken is not null)
        {
            request.Headers.Add("Cookie", $"ahod_refresh={refreshToken}");
        }

        return await Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<Session> RefreshAsync(Session session)
    {
        using var response = await PostWithRefreshCookieAsync("/api/auth/refresh", session.RefreshToken);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return await ToSessionAsync(response, session.Password);
    }

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? accessToken, object? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return Client.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public async Task<T> ReadAsync<T>(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<T>(JsonSerializerOptions.Web, TestContext.Current.CancellationToken))!;

    public static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        return await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
    }

    /// <summary>The refresh cookie as the browser would see it: value and attributes.</summary>
    public static string? RefreshSetCookie(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
            ? values.FirstOrDefault(v => v.StartsWith("ahod_refresh=", StringComparison.Ordinal))
            : null;

    private async Task<Session> ToSessionAsync(HttpResponseMessage response, string password)
    {
        var result = await ReadAsync<AuthResultDto>(response);
        var cookie = RefreshSetCookie(response) ?? throw new InvalidOperationException("No refresh cookie was set.");
        var token = cookie["ahod_refresh=".Length..cookie.IndexOf(';', StringComparison.Ordinal)];
        return new Session(result.AccessToken, token, result.User, password);
    }

    /// <summary>One scalar straight from identitydb, to check what is (not) stored.</summary>
    public async Task<T?> QueryAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(fixture.IdentityDbConnectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = p });
        }

        var value = await command.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        return value is null or DBNull ? default : (T)value;
    }
}
