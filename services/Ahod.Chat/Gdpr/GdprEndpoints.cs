using System.Data;
using Ahod.Chat.Data;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Chat.Gdpr;

public sealed record GdprExport(string Service, object Data);

/// <summary>Everything Chat holds about one user, for Identity's export (GDPR art. 15/20).</summary>
public static class GdprEndpoints
{
    public static RouteGroupBuilder MapGdprEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/internal/gdpr").RequireInternalApiKey().WithTags("GDPR");
        group.MapGet("/users/{userId:guid}", ExportAsync);
        return group;
    }

    /// <summary>My conversations and the messages I wrote in them (others' messages are theirs), and my notifications.</summary>
    internal static async Task<IResult> ExportAsync(Guid userId, ChatDbContext db, CancellationToken cancellationToken)
    {
        await using var snapshot = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var conversations = await db.Participants.AsNoTracking().Where(p => p.UserId == userId)
            .Join(db.Conversations, p => p.ConversationId, c => c.Id, (p, c) => new { c.Id, c.Type, c.Title, c.ListingId, c.CommunityId, p.JoinedAt, p.LeftAt, p.ReadUpTo })
            .ToListAsync(cancellationToken);
        var messages = await db.Messages.AsNoTracking().Where(m => m.SenderId == userId).OrderBy(m => m.ConversationId).ThenBy(m => m.Seq)
            .Select(m => new { m.Id, m.ConversationId, m.Seq, m.ClientMessageId, m.Text, m.SentAt, m.Erased }).ToListAsync(cancellationToken);
        var notifications = await db.Notifications.AsNoTracking().Where(n => n.UserId == userId).OrderBy(n => n.Id)
            .Select(n => new { n.Id, n.Type, n.Title, n.Body, n.CreatedAt, n.ReadAt }).ToListAsync(cancellationToken);
        await snapshot.CommitAsync(cancellationToken);
        return TypedResults.Ok(new GdprExport("chat", new { conversations, messages, notifications }));
    }
}
