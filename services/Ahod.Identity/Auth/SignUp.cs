using Ahod.Identity.Data;
using Ahod.Identity.Tokens;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ahod.Identity.Auth;

public static class SignUp
{
    public static async Task<Results<Created<AuthResult>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        SignUpRequest request,
        IdentityDbContext db,
        PasswordHashing passwords,
        RefreshTokenService refreshTokens,
        SessionIssuer sessions,
        EmailVerification verification,
        IOptions<IdentityServiceOptions> options,
        TimeProvider time,
        HttpContext context,
        CancellationToken cancellationToken)
    {
        var email = request.Email.Trim();
        var errors = CrossFieldErrors(request, email);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var normalizedEmail = email.ToLowerInvariant();
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken))
        {
            return Problems.Conflict("email", "An account with this email address already exists.");
        }

        if (await db.Users.AnyAsync(u => u.UserName == request.UserName, cancellationToken))
        {
            return Problems.Conflict("userName", "This user name is taken.");
        }

        var now = time.GetUtcNow();
        var user = new User
        {
            Email = email,
            UserName = request.UserName,
            FirstName = request.FirstName.Trim(),
            LastName = request.LastName.Trim(),
            PasswordHash = "",
            CreatedAt = now,
            UpdatedAt = now,
        };
        user.PasswordHash = passwords.Hash(user, request.Password);
        if (options.Value.IsAdminEmail(email))
        {
            user.Roles.Add(Roles.Admin);
        }

        var verificationToken = verification.Prepare(user);
        db.Users.Add(user);
        var refresh = refreshTokens.StartFamily(user.Id);
        db.AddIntegrationEvent(new UserRegistered(user.Id, user.Email, user.UserName, user.FirstName, user.LastName));

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
        {
            // Lost a race with a concurrent sign-up between the checks above and the insert.
            return unique.ConstraintName == IdentityDbContext.UniqueUserNameIndex
                ? Problems.Conflict("userName", "This user name is taken.")
                : Problems.Conflict("email", "An account with this email address already exists.");
        }

        await verification.SendAsync(user, verificationToken, cancellationToken);
        return TypedResults.Created($"/api/users/{user.Id}", sessions.Complete(context, user, refresh));
    }

    /// <summary>The rules DataAnnotations cannot express because they compare fields.</summary>
    private static Dictionary<string, string[]> CrossFieldErrors(SignUpRequest request, string email)
    {
        var errors = new Dictionary<string, string[]>();
        if (!string.Equals(request.Password, request.PasswordConfirmation, StringComparison.Ordinal))
        {
            errors["passwordConfirmation"] = ["The password confirmation does not match the password."];
        }

        if (string.Equals(request.Password, email, StringComparison.OrdinalIgnoreCase))
        {
            errors["password"] = ["The password must not be your email address."];
        }
        else if (string.Equals(request.Password, request.UserName, StringComparison.OrdinalIgnoreCase))
        {
            errors["password"] = ["The password must not be your user name."];
        }

        return errors;
    }
}
