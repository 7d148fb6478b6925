using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Ahod.Identity.Tests;

public sealed partial class EmailVerificationTests(IdentityAppFixture fixture)
{
    private readonly IdentityApi _api = new(fixture);

    [Fact]
    public async Task VerifyEmail_WithTokenFromThePickupFile_TurnsTheClaimTrue()
    {
        var session = await _api.SignUpAsync();
        EmailVerified(session).ShouldBeFalse();

        var (email, token) = await ReadVerificationLinkAsync(session.User.Email!);
        email.ShouldBe(session.User.Email);
        using (var verify = await _api.SendAsync(HttpMethod.Post, "/api/auth/verify-email", null, new { email, token }))
        {
            verify.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        }

        // Still false in the token issued before verification; true in every token issued after.
        EmailVerified(session).ShouldBeFalse();
        EmailVerified(await _api.RefreshAsync(session)).ShouldBeTrue();
        EmailVerified(await _api.SignInAsync(email)).ShouldBeTrue();

        using var me = await _api.SendAsync(HttpMethod.Get, "/api/auth/me", session.AccessToken);
        (await _api.ReadAsync<UserDto>(me)).EmailVerified.ShouldBe(true);
    }

    [Fact]
    public async Task VerifyEmail_WithWrongToken_Returns400AndStaysUnverified()
    {
        var session = await _api.SignUpAsync();

        using var verify = await _api.SendAsync(HttpMethod.Post, "/api/auth/verify-email", null,
            new { email = session.User.Email, token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" });

        verify.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await IdentityApi.ReadProblemAsync(verify)).GetProperty("errors").TryGetProperty("token", out _).ShouldBeTrue();
        (await _api.QueryAsync<bool>("SELECT email_verified FROM users WHERE id = $1", session.User.Id)).ShouldBeFalse();
    }

    private static bool EmailVerified(Session session)
    {
        using var payload = JsonDocument.Parse(AuthFlowTests.Base64UrlDecode(session.Jwt.EncodedPayload));
        return payload.RootElement.GetProperty("email_verified").GetBoolean();
    }

    /// <summary>Finds the .eml Identity wrote for <paramref name="address"/> and takes email and token from its link.</summary>
    private async Task<(string Email, string Token)> ReadVerificationLinkAsync(string address)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            foreach (var file in Directory.Exists(fixture.MailDirectory) ? Directory.GetFiles(fixture.MailDirectory, "*.eml") : [])
            {
                var text = await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken);
                if (text.Contains($"To: {address}", StringComparison.OrdinalIgnoreCase) && LinkPattern().Match(text) is { Success: true } link)
                {
                    return (Uri.UnescapeDataString(link.Groups["email"].Value), Uri.UnescapeDataString(link.Groups["token"].Value));
                }
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No verification email for {address} in {fixture.MailDirectory}.");
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
    }

    [GeneratedRegex(@"\?email=(?<email>[^&\s]+)&token=(?<token>[A-Za-z0-9_%-]+)")]
    private static partial Regex LinkPattern();
}
