using Ahod.ServiceDefaults;
using System.Security.Cryptography;
using Ahod.Identity.Data;
using Ahod.Identity.Tokens;
using Microsoft.Extensions.Options;

namespace Ahod.Identity.Auth;

/// <summary>Issues the emailed verification token (stored as SHA-256, valid for two days) and checks it.</summary>
public sealed class EmailVerification(EmailSender sender, IOptions<VerificationEmailOptions> options, TimeProvider time, ILogger<EmailVerification> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(2);

    /// <summary>Sets a new token on <paramref name="user"/> (the caller saves) and returns it for <see cref="SendAsync"/>.</summary>
    public string Prepare(User user)
    {
        var token = RefreshTokenService.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        user.EmailVerificationTokenHash = RefreshTokenService.Hash(token);
        user.EmailVerificationExpiresAt = time.GetUtcNow() + Lifetime;
        return token;
    }

    /// <summary>
    /// Sent after the account is committed. A failure is logged, not surfaced: the account exists and the
    /// user can ask for a new token at /api/auth/verify-email/resend.
    /// </summary>
    public async Task SendAsync(User user, string token, CancellationToken cancellationToken)
    {
        var link = $"{options.Value.VerificationUrl}?email={Uri.EscapeDataString(user.Email)}&token={Uri.EscapeDataString(token)}";
        var body = $"""
            Hi {user.FirstName},

            Please confirm your email address for Ahod by opening this link:

            {link}

            The link is valid for {Lifetime.TotalHours:0} hours. If you did not sign up for Ahod, ignore this message.
            """;
        try
        {
            await sender.SendAsync(user.Email, "Confirm your email address for Ahod", body, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogError(e, "Could not send the verification email to user {UserId}.", user.Id);
        }
    }

    public bool Verify(User user, string token)
    {
        if (user.EmailVerificationTokenHash is null || user.EmailVerificationExpiresAt is not { } expiresAt || expiresAt <= time.GetUtcNow())
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(user.EmailVerificationTokenHash, RefreshTokenService.Hash(token));
    }
}
