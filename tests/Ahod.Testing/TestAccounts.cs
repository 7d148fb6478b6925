using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using static Ahod.Testing.Eventually;

namespace Ahod.Testing;

/// <summary>
/// A test user's account through the public API, as a person gets one: sign up, open the verification email from the
/// app's mail pickup folder, verify, sign in. Each test project builds its own user record (wallet, profile) on top.
/// </summary>
public static partial class TestAccounts
{
    public const string Password = "correct horse battery staple";

    /// <summary>The link in Identity's verification email.</summary>
    [GeneratedRegex(@"\?email=(?<email>[^&\s]+)&token=(?<token>[A-Za-z0-9_%-]+)")]
    public static partial Regex VerificationLink();

    /// <summary>Signs up (201), optionally verifies the email, and signs in again so the token carries the verified claim.</summary>
    /// <returns>The user's id and an access token.</returns>
    public static async Task<(Guid Id, string Token)> SignUpAsync(
        HttpClient client, string mailDirectory, string email, string userName, string firstName, string lastName, bool verify = true,
        TimeSpan? mailTimeout = null, CancellationToken cancellationToken = default)
    {
        using (var signup = await client.PostAsJsonAsync("/api/auth/signup",
                   new { email, password = Password, passwordConfirmation = Password, userName, firstName, lastName }, cancellationToken))
        {
            await ExpectAsync(signup, HttpStatusCode.Created, "sign-up", cancellationToken);
        }

        if (verify)
        {
            var token = await ReadVerificationTokenAsync(mailDirectory, email, mailTimeout ?? TimeSpan.FromSeconds(30), cancellationToken);
            using var verified = await client.PostAsJsonAsync("/api/auth/verify-email", new { email, token }, cancellationToken);
            await ExpectAsync(verified, null, "email verification", cancellationToken);
        }

        return await SignInAsync(client, email, cancellationToken);
    }

    public static async Task<(Guid Id, string Token)> SignInAsync(HttpClient client, string email, CancellationToken cancellationToken = default)
    {
        using var signin = await client.PostAsJsonAsync("/api/auth/signin", new { email, password = Password }, cancellationToken);
        await ExpectAsync(signin, HttpStatusCode.OK, "sign-in", cancellationToken);
        var auth = await signin.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return (auth.GetProperty("user").GetProperty("id").GetGuid(), auth.GetProperty("accessToken").GetString()!);
    }

    public static Task<string> ReadVerificationTokenAsync(string mailDirectory, string address, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        ReadMailAsync(mailDirectory, address, VerificationLink(), m => Uri.UnescapeDataString(m.Groups["token"].Value), timeout, cancellationToken);

    /// <summary>Waits for an email to <paramref name="address"/> in the pickup folder whose text matches <paramref name="pattern"/>.</summary>
    public static async Task<T> ReadMailAsync<T>(
        string mailDirectory, string address, Regex pattern, Func<Match, T> read, TimeSpan timeout, CancellationToken cancellationToken = default)
        where T : notnull =>
        await EventuallyAsync<object>(async () =>
        {
            foreach (var file in Directory.Exists(mailDirectory) ? Directory.GetFiles(mailDirectory, "*.eml") : [])
            {
                var text = await File.ReadAllTextAsync(file, cancellationToken);
                if (text.Contains($"To: {address}", StringComparison.OrdinalIgnoreCase) && pattern.Match(text) is { Success: true } match)
                {
                    return read(match);
                }
            }

            return null;
        }, timeout, $"an email to {address}", cancellationToken) is T value ? value : throw new InvalidOperationException();

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode? status, string what, CancellationToken cancellationToken)
    {
        if (status is null ? !response.IsSuccessStatusCode : response.StatusCode != status)
        {
            throw new InvalidOperationException(
                $"The test user's {what} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
