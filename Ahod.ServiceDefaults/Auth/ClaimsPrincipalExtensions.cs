using System.Security.Claims;

namespace Ahod.ServiceDefaults;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The authenticated user's id from the "sub" claim.</summary>
    /// <exception cref="InvalidOperationException">No "sub" claim holding a UUID: the endpoint was reached without authentication.</exception>
    public static Guid GetUserId(this ClaimsPrincipal principal) =>
        principal.TryGetUserId(out var userId)
            ? userId
            : throw new InvalidOperationException("The principal has no 'sub' claim holding a user id; is the endpoint missing RequireAuthorization()?");

    public static bool TryGetUserId(this ClaimsPrincipal principal, out Guid userId)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return Guid.TryParse(principal.FindFirst("sub")?.Value, out userId);
    }
}
