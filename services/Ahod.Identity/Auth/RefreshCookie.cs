using Ahod.Identity.Tokens;

namespace Ahod.Identity.Auth;

/// <summary>The refresh token travels only in this cookie: httponly (no script reads it), SameSite=Strict, scoped to /api/auth.</summary>
public static class RefreshCookie
{
    public const string Name = "ahod_refresh";
    public const string Path = "/api/auth";

    public static void Set(HttpContext context, RefreshTokenService.Issued issued) =>
        context.Response.Cookies.Append(Name, issued.Token, Options(context, issued.ExpiresAt));

    public static void Clear(HttpContext context) =>
        context.Response.Cookies.Delete(Name, Options(context, expires: null));

    public static string? Read(HttpContext context) =>
        context.Request.Cookies.TryGetValue(Name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static CookieOptions Options(HttpContext context, DateTimeOffset? expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = Path,
        // Browsers drop Secure cookies on plain http, which only development uses (behind the gateway, locally).
        Secure = context.Request.IsHttps || !context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment(),
        Expires = expires,
        IsEssential = true,
    };
}
