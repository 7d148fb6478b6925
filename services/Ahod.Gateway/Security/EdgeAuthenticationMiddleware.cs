using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Ahod.Gateway.Security;

/// <summary>
/// Turns away calls without a valid access token before they cost a service anything; services validate
/// again, so this is a filter, not the authority. The 401 carries the bearer challenge and ProblemDetails.
/// </summary>
internal sealed class EdgeAuthenticationMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!PublicEndpoints.RequiresToken(context.Request) || context.User.Identity?.IsAuthenticated == true)
        {
            await next(context);
            return;
        }

        // Writes WWW-Authenticate: Bearer (with error="invalid_token" and why, when a token was sent).
        await context.ChallengeAsync(JwtBearerDefaults.AuthenticationScheme);
        await GatewayProblems.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized",
            context.Request.Headers.Authorization.Count == 0 ? "An access token is required." : "The access token is missing, invalid or expired.");
    }
}
