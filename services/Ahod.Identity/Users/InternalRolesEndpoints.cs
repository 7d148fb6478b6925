using Ahod.Identity.Data;
using Ahod.Identity.Auth;
using Ahod.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Identity.Users;

/// <summary>
/// Roles other services grant (Marketplace makes a member a <c>provider</c> when they first publish a service or job).
/// Internal API key only; the gateway never routes /internal. The role shows in the user's next access token.
/// </summary>
public static class InternalRolesEndpoints
{
    /// <summary>What a service may grant; admin is never granted from outside Identity.</summary>
    private static readonly string[] Grantable = [Roles.Provider];

    public static RouteGroupBuilder MapInternalRolesEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/internal/users").RequireInternalApiKey().WithTags("Internal");
        group.MapPost("/{id:guid}/roles", GrantAsync);
        return group;
    }

    internal static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> GrantAsync(
        Guid id, GrantRoleRequest request, IdentityDbContext db, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!Grantable.Contains(request.Role))
        {
            return Problems.Validation("role", $"A service may grant only: {string.Join(", ", Grantable)}.");
        }

        if (!await db.Users.AnyAsync(u => u.Id == id, cancellationToken))
        {
            return Problems.NotFound("No such user.");
        }

        // One statement, so two services (or two replicas) granting at once never lose a role the other added.
        var role = request.Role;
        var now = time.GetUtcNow();
        await db.Database.ExecuteSqlAsync(
            $"UPDATE users SET roles = array_append(roles, {role}), updated_at = {now} WHERE id = {id} AND NOT ({role} = ANY(roles))",
            cancellationToken);
        return TypedResults.NoContent();
    }
}
