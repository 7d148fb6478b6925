using Ahod.ServiceDefaults;

namespace Ahod.Identity.Auth;

public static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Tokens and the signed-in user's email: never cached.
        var group = endpoints.MapGroup("/api/auth").WithTags("Auth").WithNoStore();

        group.MapPost("/signup", SignUp.HandleAsync).WithName("SignUp")
            .WithSummary("Create an account")
            .WithDescription("Email (unique, case-insensitive), password twice, userName, firstName, lastName. Answers 201 with the user and " +
                "an access token, and sets the refresh token as an httponly cookie; a verification email is sent.");
        group.MapPost("/signin", SignIn.HandleAsync).WithName("SignIn")
            .WithSummary("Sign in with email and password")
            .WithDescription("Answers the user and a short-lived access token (send it as `Authorization: Bearer ...`) and sets the " +
                "refresh cookie. Wrong credentials are 401; repeated failures are rate limited (429 with Retry-After).");
        group.MapPost("/refresh", Sessions.RefreshAsync).WithName("Refresh")
            .WithSummary("Get a new access token from the refresh cookie")
            .WithDescription("Rotates the refresh token. Reusing an already rotated one revokes the whole session family, except within 30 s of "
                + "its rotation while its successor is unused (a response the client never received, say on a page navigation).");
        group.MapPost("/signout", Sessions.SignOutAsync).WithName("SignOut")
            .WithSummary("Sign out")
            .WithDescription("Revokes the refresh token family of the cookie and clears the cookie.");
        group.MapPost("/verify-email", VerifyEmail.HandleAsync).WithName("VerifyEmail")
            .WithSummary("Verify an email address")
            .WithDescription("The email and token from the link in the verification email. Moving money needs a verified email.");
        group.MapPost("/verify-email/resend", VerifyEmail.ResendAsync).WithName("ResendVerificationEmail").RequireAuthorization()
            .WithSummary("Send the verification email again");
        group.MapGet("/me", Me.HandleAsync).WithName("Me").RequireAuthorization()
            .WithSummary("The signed-in user");

        return group;
    }
}
