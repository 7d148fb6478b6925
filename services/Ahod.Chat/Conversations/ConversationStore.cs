using Ahod.Chat.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ahod.Chat.Conversations;

/// <summary>Who may see a conversation, finding-or-creating the one per pair, and the reads the API and hub share.</summary>
public sealed class ConversationStore(ChatDbContext db, TimeProvider clock)
{
    /// <summary>A current participant (not one who left); everyone else is told the conversation does not exist.</summary>
    public Task<bool> IsParticipantAsync(Guid conversationId, Guid userId, CancellationToken ct) =>
        db.Participants.AnyAsync(p => p.ConversationId == conversationId && p.UserId == userId && p.LeftAt == null, ct);

    /// <summary>Current participants. Compiled once: every message, typing signal and receipt asks this.</summary>
    public async Task<List<Guid>> ParticipantIdsAsync(Guid conversationId, CancellationToken ct)
    {
        var ids = new List<Guid>(2);
        await foreach (var id in CurrentParticipants(db, conversationId).WithCancellation(ct))
        {
            ids.Add(id);
        }

        return ids;
    }

    private static readonly Func<ChatDbContext, Guid, IAsyncEnumerable<Guid>> CurrentParticipants = EF.CompileAsyncQuery(
        (ChatDbContext db, Guid conversationId) => db.Participants.Where(p => p.ConversationId == conversationId && p.LeftAt == null).Select(p => p.UserId));

    /// <summary>Everyone who shares a current conversation with <paramref name="userId"/>: who sees their presence.</summary>
    public Task<List<Guid>> ContactsAsync(Guid userId, CancellationToken ct) =>
        db.Participants.Where(p => p.UserId == userId && p.LeftAt == null)
            .Join(db.Participants.Where(o => o.LeftAt == null && o.UserId != userId), p => p.ConversationId, o => o.ConversationId, (p, o) => o.UserId)
            .Distinct().ToListAsync(ct);

    /// <summary>
    /// The conversation with <paramref name="key"/>, created with <paramref name="participants"/> when there is none.
    /// Two first requests at once: the unique key lets one insert win; the other reads what it made.
    /// </summary>
    public async Task<(Conversation Conversation, bool Created)> FindOrCreateAsync(
        string key, string type, string? title, IReadOnlyCollection<Guid> participants, Guid? listingId, Guid? communityId, CancellationToken ct)
    {
        if (await db.Conversations.AsNoTracking().SingleOrDefaultAsync(c => c.Key == key, ct) is { } existing)
        {
            return (existing, false);
        }

        var now = clock.GetUtcNow();
        var id = Guid.CreateVersion7();
        var inserted = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO conversations (id, type, key, title, listing_id, community_id, last_seq, created_at, last_activity_at)
            VALUES ({id}, {type}, {key}, {title}, {listingId}, {communityId}, 0, {now}, {now})
            ON CONFLICT (key) DO NOTHING
            """, ct);
        if (inserted == 1)
        {
            foreach (var userId in participants)
            {
                await AddParticipantAsync(id, userId, null, ct);
            }
        }

        return (await db.Conversations.AsNoTracking().SingleAsync(c => c.Key == key, ct), inserted == 1);
    }

    /// <summary>
    /// Adds or brings back a participant; reading starts after what was said before they (re)joined. <paramref name="joinedAt"/>
    /// is when they joined where that happened (a community's membership), else now.
    /// </summary>
    public Task AddParticipantAsync(Guid conversationId, Guid userId, DateTimeOffset? joinedAt, CancellationToken ct)
    {
        var now = joinedAt ?? clock.GetUtcNow();
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO participants (conversation_id, user_id, read_up_to, joined_at, left_at)
            SELECT {conversationId}, {userId}, c.last_seq, {now}, NULL FROM conversations c WHERE c.id = {conversationId}
            ON CONFLICT (conversation_id, user_id) DO UPDATE SET left_at = NULL, joined_at = EXCLUDED.joined_at
              WHERE participants.left_at IS NOT NULL
            """, ct);
    }

    public static string DirectKey(Guid a, Guid b) => a.CompareTo(b) < 0 ? $"direct:{a:N}:{b:N}" : $"direct:{b:N}:{a:N}";

    public static string ListingKey(Guid listingId, Guid requesterId) => $"listing:{listingId:N}:{requesterId:N}";

    public static string CommunityKey(Guid communityId) => $"community:{communityId:N}";

    /// <summary>The views of <paramref name="conversations"/> as <paramref name="viewerId"/> sees them (titles, unread, last message).</summary>
    public async Task<List<ConversationResponse>> ViewsAsync(IReadOnlyList<Conversation> conversations, Guid viewerId, CancellationToken ct)
    {
        var ids = conversations.Select(c => c.Id).ToList();
        var participants = await db.Participants.AsNoTracking().Where(p => ids.Contains(p.ConversationId) && p.LeftAt == null).ToListAsync(ct);
        var lastMessages = await db.Messages.AsNoTracking()
            .Where(m => ids.Contains(m.ConversationId))
            .Join(db.Conversations.Where(c => ids.Contains(c.Id)), m => new { m.ConversationId, m.Seq }, c => new { ConversationId = c.Id, Seq = c.LastSeq }, (m, c) => m)
            .ToDictionaryAsync(m => m.ConversationId, ct);
        var userIds = participants.Select(p => p.UserId).Distinct().ToList();
        var users = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);

        return [.. conversations.Select(c =>
        {
            var members = participants.Where(p => p.ConversationId == c.Id).ToList();
            var mine = members.SingleOrDefault(p => p.UserId == viewerId);
            var title = c.Type == ConversationTypes.Direct || c.Title is null
                ? string.Join(", ", members.Where(p => p.UserId != viewerId).Select(p => users.TryGetValue(p.UserId, out var u) ? u.DisplayName : "Ahod user"))
                : c.Title;
            return new ConversationResponse(
                c.Id, c.Type, [.. members.Select(p => p.UserId)], title,
                lastMessages.TryGetValue(c.Id, out var last) ? MessageResponse.From(last) : null,
                Math.Max(0, c.LastSeq - (mine?.ReadUpTo ?? c.LastSeq)),
                members.ToDictionary(p => p.UserId, p => p.ReadUpTo),
                c.ListingId, c.CommunityId, c.LastSeq, c.LastActivityAt);
        })];
    }

    internal static bool IsUniqueViolation(Exception e, string index) =>
        e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg && pg.ConstraintName == index;
}
