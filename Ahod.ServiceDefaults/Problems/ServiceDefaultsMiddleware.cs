using Microsoft.AspNetCore.Builder;

namespace Ahod.ServiceDefaults;

public static class ServiceDefaultsMiddleware
{
    private const string AppliedKey = "Ahod.ServiceDefaults.MiddlewareApplied";

    /// <summary>
    /// The client's address from a trusted proxy's X-Forwarded-For, exceptions to ProblemDetails, and ProblemDetails for empty error
    /// responses. <see cref="ServiceDefaultsExtensions.MapDefaultEndpoints"/> calls it; call it yourself
    /// only to place it earlier in the pipeline. Safe to call twice.
    /// </summary>
    public static IApplicationBuilder UseServiceDefaults(this IApplicationBuilder app)
    {
        if (app.Properties.ContainsKey(AppliedKey))
        {
            return app;
        }

        app.Properties[AppliedKey] = true;
        app.UseClientAddresses();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
