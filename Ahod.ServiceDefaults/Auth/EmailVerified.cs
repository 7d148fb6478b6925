using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ahod.ServiceDefaults;

/// <summary>
/// The verified-email rule as one authorization policy: the access token's <c>email_verified</c> claim must be true.
/// <see cref="JwtBearerDefaultsExtensions.AddJwtBearerDefaults"/> registers it; endpoints (or groups) opt in with
/// <see cref="RequireVerifiedEmail"/>. A refusal is 403 ProblemDetails before the endpoint runs, so it changes nothing and
/// consumes no Idempotency-Key.
/// </summary>
public static class EmailVerified
{
    public const string PolicyName = "EmailVerified";
    public const string ClaimType = "email_verified";
    public const string Title = "Email not verified.";
    public const string Detail = "Verify your email address before moving money.";

    public static TBuilder RequireVerifiedEmail<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(PolicyName);

    internal static void AddPolicy(AuthorizationOptions options) =>
        options.AddPolicy(PolicyName, policy => policy.RequireAuthenticatedUser().AddRequirements(new Requirement()));

    /// <summary>Its own handler: the framework runs requirements that handle themselves.</summary>
    internal sealed class Requirement : AuthorizationHandler<Requirement>, IAuthorizationRequirement
    {
        protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, Requirement requirement)
        {
            if (context.User.FindFirst(ClaimType)?.Value is { } value && bool.TryParse(value, out var verified) && verified)
            {
                context.Succeed(requirement);
            }

            return Task.CompletedTask;
        }
    }

    /// <summary>Answers a refusal by this policy with a ProblemDetails a client can act on; every other result as the framework does.</summary>
    internal sealed class ProblemResultHandler(IProblemDetailsService problems) : IAuthorizationMiddlewareResultHandler
    {
        private readonly AuthorizationMiddlewareResultHandler _default = new();

        public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
        {
            if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<Requirement>().Any() == true)
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = { Status = StatusCodes.Status403Forbidden, Title = Title, Detail = Detail },
                });
                return;
            }

            await _default.HandleAsync(next, context, policy, authorizeResult);
        }
    }
}
