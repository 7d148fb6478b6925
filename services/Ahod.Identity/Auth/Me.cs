using Ahod.Identity.Data;
using Ahod.Identity.Users;
using Ahod.ServiceDefaults;

namespace Ahod.Identity.Auth;

public static class Me
{
    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> HandleAsync(
        IdentityDbContext db, HttpContext context, CancellationToken cancellationToken)
    {
        var user = await db.Users.FindAsync([context.User.GetUserId()], cancellationToken);
        return user is null
            ? Problems.NotFound("The account no longer exists.")
            : TypedResults.Ok(user.ToResponse(includePrivate: true));
    }
}
