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

    /// <summary>Credential endpoints: the stricter per-IP bucket guards them against guessing and mass sign-up.</summary>
    private static readonly string[][] Credentials =
    [
        Split("/api/auth/signup"), Split("/api/auth/signin"), Split("/api/auth/refresh"), Split("/api/auth/verify-email"),
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

    public static bool IsCredentialEndpoint(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return false;
        }

        var segments = Split(request.Path.Value ?? "/");
        return Credentials.Any(template => Matches(template, segments));
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
