namespace Ahod.Gateway.Security;

/// <summary>
/// Which calls reach a service without a valid access token. Everything under /api needs one except this list;
/// paths outside /api (the JWKS, the docs, hubs whose token travels in the query string) are the service's business.
/// </summary>
public static class PublicEndpoints
{
    private static readonly (string Method, string[] Segments)[] Anonymous =
    [
        // How a caller gets (or gives up) a token: the credentials or the refresh cookie are the proof.
        (HttpMethods.Post, Split("/api/auth/signup")),
        (HttpMethods.Post, Split("/api/auth/signin")),
        (HttpMethods.Post, Split("/api/auth/refresh")),
        (HttpMethods.Post, Split("/api/auth/verify-email")),
        (HttpMethods.Post, Split("/api/auth/signout")),
        // Browsing the marketplace before signing up.
        (HttpMethods.Get, Split("/api/listings")),
        (HttpMethods.Get, Split("/api/listings/{id}")),
        (HttpMethods.Get, Split("/api/listings/{id}/reviews")),
    ];

    /// <summary>Credential endpoints: each kind has its own per-address bucket against guessing and mass sign-up.</summary>
    private static readonly (CredentialKind Kind, string[] Segments)[] Credentials =
    [
        (CredentialKind.SignUp, Split("/api/auth/signup")),
        (CredentialKind.SignIn, Split("/api/auth/signin")),
        (CredentialKind.Refresh, Split("/api/auth/refresh")),
        (CredentialKind.VerifyEmail, Split("/api/auth/verify-email")),
    ];

    public static bool RequiresToken(HttpRequest request)
    {
        var path = request.Path.Value ?? "/";
        if (!IsUnder(path, "/api"))
        {
            return false;
        }

        var method = HttpMethods.IsHead(request.Method) ? HttpMethods.Get : request.Method;
        var segments = Split(path);
        foreach (var (allowed, template) in Anonymous)
        {
            if (HttpMethods.Equals(method, allowed) && Matches(template, segments))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Which credential call this is, or null for any other call.</summary>
    public static CredentialKind? CredentialKindOf(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return null;
        }

        var segments = Split(request.Path.Value ?? "/");
        foreach (var (kind, template) in Credentials)
        {
            if (Matches(template, segments))
            {
                return kind;
            }
        }

        return null;
    }

    private static string[] Split(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries);

    private static bool Matches(string[] template, string[] segments)
    {
        if (template.Length != segments.Length)
        {
            return false;
        }

        for (var i = 0; i < template.Length; i++)
        {
            if (template[i].StartsWith('{') ? segments[i].Length == 0 : !template[i].Equals(segments[i], StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whole segments only: /api/auth is under /api, /apix is not.</summary>
    public static bool IsUnder(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (path.Length == prefix.Length || path[prefix.Length] == '/');
}

public enum CredentialKind
{
    SignIn,
    SignUp,
    Refresh,
    VerifyEmail,
}
