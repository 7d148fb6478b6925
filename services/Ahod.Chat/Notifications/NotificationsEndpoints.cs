using Ahod.Chat.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Chat.Notifications;

public sealed record NotificationPage(IReadOnlyList<NotificationResponse> Items, string? NextCursor, int UnreadCount);

public static class NotificationsEndpoints
{
    public static RouteGroupBuilder MapNotificationsEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/notifications").RequireAuthorization().WithNoStore().WithTags("Notifications");
        group.MapGet("/", ListAsync);
        group.MapPost("/{id:guid}/read", ReadAsync);
        group.MapPost("/read-all", ReadAllAsync);
        return group;
    }

    /// <summary>Newest first; the cursor is the last item's id (v7 ids sort by creation time).</summary>
    internal static async Task<Results<Ok<NotificationPage>, ValidationProblem>> ListAsync(
        int? limit, string? cursor, HttpContext http, ChatDbContext db, CancellationToken ct)
    {
        var validation = new Validation();
        var take = validation.Limit(limit);
        var before = validation.Cursor<Guid>(cursor, Guid.TryParse);
        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        var userId = http.User.GetUserId();
        var query = db.Notifications.AsNoTracking().Where(n => n.UserId == userId);
        if (before is { } b)
        {
            query = query.Where(n => n.Id.CompareTo(b) < 0);
        }

        var rows = await query.OrderByDescending(n => n.Id).Take(take + 1).ToListAsync(ct);
        var page = Paging.From(rows.Select(NotificationResponse.From).ToList(), take, n => n.Id.ToString());
        var unread = await db.Notifications.CountAsync(n => n.UserId == userId && n.ReadAt == null, ct);
        return TypedResults.Ok(new NotificationPage(page.Items, page.NextCursor, unread));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> ReadAsync(Guid id, HttpContext http, ChatDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var now = clock.GetUtcNow();
        var found = await db.Notifications.Where(n => n.Id == id && n.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, n => n.ReadAt ?? now), ct);
        return found == 1 ? TypedResults.NoContent() : Problems.NotFound("notification");
    }

    internal static async Task<NoContent> ReadAllAsync(HttpContext http, ChatDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var userId = http.User.GetUserId();
        var now = clock.GetUtcNow();
        await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return TypedResults.NoContent();
    }
}
