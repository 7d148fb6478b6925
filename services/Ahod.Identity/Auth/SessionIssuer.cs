using Ahod.Identity.Data;
using Ahod.Identity.Tokens;
using Ahod.Identity.Users;

namespace Ahod.Identity.Auth;

/// <summary>What sign-up, sign-in and refresh hand back: an access token, the user, and a fresh refresh cookie.</summary>
public sealed class SessionIssuer(AccessTokenIssuer accessTokens)
{
    public AuthResult Complete(HttpContext context, User user, RefreshTokenService.Issued refresh)
    {
        RefreshCookie.Set(context, refresh);
        // The response carries a credential: no cache may keep it.
        context.Response.Headers.CacheControl = "no-store";
        var (token, expiresIn) = accessTokens.Issue(user, refresh.FamilyId);
        return new AuthResult(token, expiresIn, user.ToResponse(includePrivate: true));
    }
}
