using Ahod.Identity.Data;
using Ahod.Identity.Tokens;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Identity.Auth;

public static class SignIn
{
    public const string FailedMessage = "The email or password is incorrect.";

    public static async Task<Results<Ok<AuthResult>, ProblemHttpResult>> HandleAsync(
        SignInRequest request,
        IdentityDbContext db,
        PasswordHashing passwords,
        RefreshTokenService refreshTokens,
        SessionIssuer sessions,
        SignInRateLimiter rateLimiter,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        var normalizedEmail = request.Email.Trim().ToLowerInvariant();
        if (rateLimiter.TryAcquire(normalizedEmail, context) is { } refused)
        {
            return refused;
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        // An unknown email hashes a dummy password: same message, same time, so accounts cannot be enumerated.
        if (!passwords.Verify(user, request.Password))
        {
            return Problems.Unauthorized(FailedMessage);
        }

        var refresh = refreshTokens.StartFamily(user!.Id);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(sessions.Complete(context, user, refresh));
    }
}
