using Ahod.Savings.Data;
using Ahod.ServiceDefaults;

namespace Ahod.Savings.Communities;

/// <summary>Who may use an endpoint under <c>/api/communities/{id}</c>.</summary>
internal enum CommunityRole
{
    /// <summary>Anyone the community is visible to (public, or private and the caller is in it or asked to join).</summary>
    Visitor,

    /// <summary>An active or suspended member.</summary>
    Member,

    /// <summary>An admin among the members.</summary>
    Admin,
}

/// <summary>
/// The per-object access check of every community endpoint, in one place: the filter loads the community named by the
/// route's <c>{id}</c> and the caller's membership (<see cref="CommunityAccess"/>), answers 404 when the caller may not
/// see it (its existence is not revealed) and 403 when the caller lacks the role, and otherwise hands the loaded access
/// to the handler (<see cref="GetCommunityAccess"/>).
/// </summary>
internal static class CommunityAccessFilter
{
    private static readonly object ItemKey = new();

    /// <param name="forbidden">The 403 detail for a visitor at a members-only endpoint.</param>
    /// <param name="lockForUpdate">
    /// Opens the request's transaction and locks the community row (membership changes, bids and votes of one community
    /// are serialized); the handler commits it with <c>db.Database.CommitTransactionAsync</c>, and an answer without a
    /// commit rolls back.
    /// </param>
    public static TBuilder RequireCommunity<TBuilder>(this TBuilder builder, CommunityRole role, string? forbidden = null, bool lockForUpdate = false)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var ct = http.RequestAborted;
            if (!Guid.TryParse(http.GetRouteValue("id") as string, out var communityId))
            {
                return Problems.NotFound();
            }

            var db = http.RequestServices.GetRequiredService<SavingsDbContext>();
            await using var transaction = lockForUpdate ? await db.Database.BeginTransactionAsync(ct) : null;
            var access = await CommunityAccess.LoadAsync(db, communityId, http.User.GetUserId(), ct, forUpdate: lockForUpdate);
            if (access is null)
            {
                return Problems.NotFound();
            }

            if (role == CommunityRole.Admin && !access.IsAdmin)
            {
                return Problems.AdminOnly();
            }

            if (role == CommunityRole.Member && !access.IsMember)
            {
                return Problems.Forbidden(forbidden ?? "Only members of this community can do this.");
            }

            http.Items[ItemKey] = access;
            return await next(context);
        });

    /// <summary>The community and membership the filter loaded for this request.</summary>
    public static CommunityAccess GetCommunityAccess(this HttpContext http) =>
        http.Items[ItemKey] as CommunityAccess
            ?? throw new InvalidOperationException($"{http.Request.Path} reads the community access without RequireCommunity().");
}
