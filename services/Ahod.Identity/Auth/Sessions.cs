using Ahod.Identity.Data;
using Ahod.Identity.Tokens;

namespace Ahod.Identity.Auth;

/// <summary>Refresh and sign-out: both act on the refresh cookie only, never on a token in the body.</summary>
public static class Sessions
{
    public static async Task<Results<Ok<AuthResult>, ProblemHttpResult>> RefreshAsync(
        IdentityDbContext db,
        RefreshTokenService refreshTokens,
        SessionIssuer sessions,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        if (RefreshCookie.Read(context) is not { } presented)
        {
            return Problems.Unauthorized("No refresh token; sign in again.");
        }

        var rotation = await refreshTokens.RotateAsync(presented, cancellationToken);
        if (rotation.Outcome != RefreshTokenService.Outcome.Rotated)
        {
            RefreshCookie.Clear(context);
            return Problems.Unauthorized("The session has ended; sign in again.");
        }

        var user = await db.Users.FindAsync([rotation.UserId], cancellationToken);
        if (user is null)
        {
            RefreshCookie.Clear(context);
            return Problems.Unauthorized("The account no longer exists.");
        }

        return TypedResults.Ok(sessions.Complete(context, user, rotation.Issued!));
    }

    public static async Task<NoContent> SignOutAsync(RefreshTokenService refreshTokens, HttpContext context, CancellationToken cancellationToken)
    {
        if (RefreshCookie.Read(context) is { } presented)
        {
            await refreshTokens.RevokeFamilyOfAsync(presented, cancellationToken);
        }

        RefreshCookie.Clear(context);
        return TypedResults.NoContent();
    }
}
