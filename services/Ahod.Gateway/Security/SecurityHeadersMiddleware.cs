using Scalar.AspNetCore;

namespace Ahod.Gateway.Security;

/// <summary>
/// The browser-facing hardening headers, on every response including proxied and error ones; the gateway's
/// values replace whatever a service sent, so one place decides them.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public const string ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>
    /// The API reference (Scalar) sets inline styles, shows data: images and starts with one inline script, which runs only with
    /// the per-response nonce Scalar puts on it (<see cref="ScalarOptions.NonceHttpContextItemKey"/>): no 'unsafe-inline' script.
    /// </summary>
    public static string DocsContentSecurityPolicy(string? nonce) =>
        $"default-src 'self'; script-src 'self'{(nonce is null ? "" : $" 'nonce-{nonce}'")}; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    public const string PermissionsPolicy = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var http = (HttpContext)state;
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = PermissionsPolicy;
            headers.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/docs", StringComparison.OrdinalIgnoreCase)
                ? DocsContentSecurityPolicy(http.Items[ScalarOptions.NonceHttpContextItemKey] as string)
                : ContentSecurityPolicy;
            if (http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            return Task.CompletedTask;
        }, context);

        return next(context);
    }
}
