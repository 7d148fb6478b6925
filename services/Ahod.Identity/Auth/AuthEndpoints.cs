using Ahod.ServiceDefaults;

namespace Ahod.Identity.Auth;

public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Tokens and the signed-in user's email: never cached.
        var group = endpoints.MapGroup("/api/auth").WithTags("Auth").WithNoStore();

        group.MapPost("/signup", SignUp.HandleAsync).WithName("SignUp");
        group.MapPost("/signin", SignIn.HandleAsync).WithName("SignIn");
        group.MapPost("/refresh", Sessions.RefreshAsync).WithName("Refresh");
        group.MapPost("/signout", Sessions.SignOutAsync).WithName("SignOut");
        group.MapPost("/verify-email", VerifyEmail.HandleAsync).WithName("VerifyEmail");
        group.MapPost("/verify-email/resend", VerifyEmail.ResendAsync).WithName("ResendVerificationEmail").RequireAuthorization();
        group.MapGet("/me", Me.HandleAsync).WithName("Me").RequireAuthorization();

        return group;
    }
}
