using Ahod.Contracts;
using Ahod.Identity.Auth;
using Ahod.Identity.Data;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.ServiceDefaults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ahod.Identity.Users;

public static class UsersEndpoints
{
    public const int MaxSearchResults = 20;

    public static RouteGroupBuilder MapUsersEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // Profiles are visible to signed-in users only: the directory is not for anonymous scraping.
        var group = endpoints.MapGroup("/api/users").WithTags("Users").RequireAuthorization().WithNoStore();

        group.MapGet("/", SearchAsync).WithName("SearchUsers")
            .WithSummary("Search users")
            .WithDescription("Prefix search on user name, first and last name (`q`, 1-64 characters); at most 20 public profiles.");
        group.MapGet("/{id:guid}", GetAsync).WithName("GetUser")
            .WithSummary("A user's public profile")
            .WithDescription("The email is shown only to its owner and to admins.");
        group.MapPatch("/{id:guid}", UpdateAsync).WithName("UpdateUser")
            .WithSummary("Edit a profile")
            .WithDescription("Only your own (admins: anyone's). Fields left out stay as they are.");
        group.MapPost("/{id:guid}/roles", GrantRoleAsync).WithName("GrantRole").RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .WithSummary("Grant a role (admin)");
        group.MapDelete("/{id:guid}/roles/{role}", RevokeRoleAsync).WithName("RevokeRole").RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .WithSummary("Revoke a role (admin)");

        return group;
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetAsync(
        Guid id, IdentityDbContext db, HttpContext context, CancellationToken cancellationToken)
    {
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        return user is null
            ? Problems.NotFound("No such user.")
            : TypedResults.Ok(user.ToResponse(includePrivate: MayManage(context, id)));
    }

    /// <summary>Prefix search over user name, first and last name, each served by a text_pattern_ops index.</summary>
    public static async Task<Results<Ok<Page<UserResponse>>, ValidationProblem>> SearchAsync(
        string? q, IdentityDbContext db, HttpContext context, CancellationToken cancellationToken)
    {
        var prefix = q?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(prefix) || prefix.Length > 64)
        {
            return Problems.Validation("q", "Give 1-64 characters to search for.");
        }

        // StartsWith becomes LIKE 'prefix%' with the wildcards in the prefix escaped.
        var users = await db.Users.AsNoTracking()
            .Where(u => u.UserName.StartsWith(prefix) || u.FirstNameLower.StartsWith(prefix) || u.LastNameLower.StartsWith(prefix))
            .OrderBy(u => u.UserName)
            .Take(MaxSearchResults)
            .ToListAsync(cancellationToken);
        // One page only: the search answers the best 20, so nextCursor is always null.
        return TypedResults.Ok(new Page<UserResponse>(users.Select(u => u.ToResponse(MayManage(context, u.Id))).ToList(), null));
    }

    public static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, UpdateUserRequest request, IdentityDbContext db, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        if (!MayManage(context, id))
        {
            return Problems.Forbidden("You can only change your own profile.");
        }

        if (request.FirstName is { } first && string.IsNullOrWhiteSpace(first))
        {
            return Problems.Validation("firstName", "The first name must not be blank.");
        }

        if (request.LastName is { } last && string.IsNullOrWhiteSpace(last))
        {
            return Problems.Validation("lastName", "The last name must not be blank.");
        }

        if (!string.IsNullOrEmpty(request.PhotoUrl) &&
            !(Uri.TryCreate(request.PhotoUrl, UriKind.Absolute, out var photo) && photo.Scheme is "https" or "http"))
        {
            return Problems.Validation("photoUrl", "The photo URL must be an absolute http(s) URL.");
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound("No such user.");
        }

        if (request.UserName is { } userName && userName != user.UserName &&
            await db.Users.AnyAsync(u => u.UserName == userName, cancellationToken))
        {
            return Problems.Conflict("userName", "This user name is taken.");
        }

        user.UserName = request.UserName ?? user.UserName;
        user.FirstName = request.FirstName?.Trim() ?? user.FirstName;
        user.LastName = request.LastName?.Trim() ?? user.LastName;
        user.PhotoUrl = request.PhotoUrl is null ? user.PhotoUrl : request.PhotoUrl.Length == 0 ? null : request.PhotoUrl;
        user.UpdatedAt = time.GetUtcNow();
        db.AddIntegrationEvent(new UserUpdated(user.Id, user.Email, user.UserName, user.FirstName, user.LastName, user.PhotoUrl));

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return Problems.Conflict("userName", "This user name is taken.");
        }

        return TypedResults.Ok(user.ToResponse(includePrivate: true));
    }

    public static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> GrantRoleAsync(
        Guid id, GrantRoleRequest request, IdentityDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Roles.All.Contains(request.Role))
        {
            return Problems.Validation("role", $"The role must be one of: {string.Join(", ", Roles.All)}.");
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound("No such user.");
        }

        if (!user.Roles.Contains(request.Role))
        {
            // A new list so EF sees the array column change.
            user.Roles = [.. user.Roles, request.Role];
            user.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(user.ToResponse(includePrivate: true));
    }

    public static async Task<Results<Ok<UserResponse>, ValidationProblem, ProblemHttpResult>> RevokeRoleAsync(
        Guid id, string role, IdentityDbContext db, TimeProvider time, HttpContext context, CancellationToken cancellationToken)
    {
        if (role == Roles.Member)
        {
            return Problems.Validation("role", "Every user is a member.");
        }

        if (role == Roles.Admin && id == context.User.GetUserId())
        {
            // Otherwise the last admin could lock everyone out of role management.
            return Problems.Validation("role", "You cannot remove your own admin role.");
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id, cancellationToken);
        if (user is null)
        {
            return Problems.NotFound("No such user.");
        }

        if (user.Roles.Contains(role))
        {
            user.Roles = user.Roles.Where(r => r != role).ToList();
            user.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken);
        }

        return TypedResults.Ok(user.ToResponse(includePrivate: true));
    }

    /// <summary>The owner or an admin: who may see the email and change the profile.</summary>
    internal static bool MayManage(HttpContext context, Guid userId) =>
        context.User.TryGetUserId(out var caller) && (caller == userId || context.User.IsInRole(Roles.Admin));
}
