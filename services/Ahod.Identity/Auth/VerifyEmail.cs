using Ahod.Identity.Data;
using Ahod.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Identity.Auth;

public static class VerifyEmail
{
    private const string InvalidMessage = "The verification link is invalid or has expired.";

    public static async Task<Results<NoContent, ValidationProblem>> HandleAsync(
        VerifyEmailRequest request,
        IdentityDbContext db,
        EmailVerification verification,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        var normalizedEmail = request.Email.Trim().ToLowerInvariant();
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        if (user is null || !verification.Verify(user, request.Token))
        {
            return Problems.Validation("token", InvalidMessage);
        }

        if (!user.EmailVerified)
        {
            // The hash stays until it expires, so opening the link twice is not an error.
            user.EmailVerified = true;
            user.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Results<Accepted, NoContent, ProblemHttpResult>> ResendAsync(
        IdentityDbContext db,
        EmailVerification verification,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        var user = await db.Users.FindAsync([context.User.GetUserId()], cancellationToken);
        if (user is null)
        {
            return Problems.NotFound("The account no longer exists.");
        }

        if (user.EmailVerified)
        {
            return TypedResults.NoContent();
        }

        var token = verification.Prepare(user);
        await db.SaveChangesAsync(cancellationToken);
        await verification.SendAsync(user, token, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }
}
