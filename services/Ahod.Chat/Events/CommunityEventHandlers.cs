using Ahod.Chat.Conversations;
using Ahod.Chat.Data;
using Ahod.Chat.Notifications;
using Ahod.Messaging.Consumers;
using Ahod.Messaging.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Chat.Events;

/// <summary>Every community has a conversation whose participants follow its membership.</summary>
public sealed class CommunityMembershipHandler(ChatDbContext db, ConversationStore conversations, NotificationWriter notifications)
    : IIntegrationEventHandler<CommunityCreated>, IIntegrationEventHandler<CommunityMemberJoined>, IIntegrationEventHandler<CommunityMemberLeft>
{
    public async Task HandleAsync(CommunityCreated e, CancellationToken ct)
    {
        var (conversation, created) = await EnsureAsync(e.CommunityId, e.Name, ct);
        if (!created && conversation.Title != e.Name)
        {
            // member-joined can arrive first (it is a separate event): it made the conversation without a name.
            await db.Conversations.Where(c => c.Id == conversation.Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Title, e.Name), ct);
        }
    }

    /// <summary>
    /// The newcomer joins the conversation and everyone who was a member before them hears of it. Membership events
    /// can be handled out of their order (two replicas, a retry): a member whose join was handled first although it
    /// happened later has not been told about this newcomer, who was not there yet, so the newcomer is told about them
    /// instead. Either way, of any two members the earlier one hears of the later one, once.
    /// </summary>
    public async Task HandleAsync(CommunityMemberJoined e, CancellationToken ct)
    {
        var (conversation, _) = await EnsureAsync(e.CommunityId, null, ct);
        // Two joins handled at once (two replicas, or two deliveries in one) would each miss the other among the
        // participants: the conversation's row lock (held until the event's transaction commits) takes them one at a time.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM conversations WHERE id = {conversation.Id} FOR UPDATE", ct);
        var others = await db.Participants.AsNoTracking()
            .Where(p => p.ConversationId == conversation.Id && p.LeftAt == null && p.UserId != e.UserId)
            .Select(p => new { p.UserId, p.JoinedAt }).ToListAsync(ct);
        await conversations.AddParticipantAsync(conversation.Id, e.UserId, e.OccurredAt, ct);
        var ids = others.Select(o => o.UserId).Append(e.UserId).ToList();
        var names = (await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToListAsync(ct)).ToDictionary(u => u.Id, u => u.DisplayName);
        var community = conversation.Title ?? "your community";
        foreach (var other in others)
        {
            if (other.JoinedAt <= e.OccurredAt)
            {
                Joined(other.UserId, e.Id, e.UserId);
            }
            else
            {
                // Their join was handled before this one: the one event that tells me of them is this.
                Joined(e.UserId, NameBasedId.Create("ahod.chat", $"member-joined:{e.Id:N}:{other.UserId:N}"), other.UserId);
            }
        }

        void Joined(Guid recipient, Guid sourceEventId, Guid newcomer) =>
            notifications.Add(recipient, sourceEventId, NotificationTypes.MemberJoined, "New member",
                $"{names.GetValueOrDefault(newcomer, "Someone")} joined {community}.",
                new { e.CommunityId, UserId = newcomer, conversationId = conversation.Id });
    }

    public async Task HandleAsync(CommunityMemberLeft e, CancellationToken ct)
    {
        var key = ConversationStore.CommunityKey(e.CommunityId);
        await db.Participants.Where(p => p.UserId == e.UserId && p.LeftAt == null && db.Conversations.Any(c => c.Id == p.ConversationId && c.Key == key))
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.LeftAt, e.OccurredAt), ct);
    }

    private Task<(Conversation, bool)> EnsureAsync(Guid communityId, string? name, CancellationToken ct) =>
        conversations.FindOrCreateAsync(ConversationStore.CommunityKey(communityId), ConversationTypes.Community, name, [], null, communityId, ct);
}

public sealed class SavingsNotificationsHandler(NotificationWriter notifications)
    : IIntegrationEventHandler<CommunityContributionDue>, IIntegrationEventHandler<CommunityPayoutMade>
{
    public Task HandleAsync(CommunityContributionDue e, CancellationToken ct)
    {
        notifications.Add(e.UserId, e.Id, NotificationTypes.ContributionDue, "Contribution due",
            $"Your contribution of {Amount(e.Amount, e.Currency)} for cycle {e.CycleNumber} is due {e.DueAt:yyyy-MM-dd}.",
            new { e.CommunityId, e.CycleNumber, amount = new Money(e.Amount, e.Currency), e.DueAt });
        return Task.CompletedTask;
    }

    public Task HandleAsync(CommunityPayoutMade e, CancellationToken ct)
    {
        notifications.Add(e.RecipientUserId, e.Id, NotificationTypes.Payout, "Payout received",
            $"You received the pot of cycle {e.CycleNumber}: {Amount(e.Amount, e.Currency)}.",
            new { e.CommunityId, e.CycleNumber, e.TransferId, amount = new Money(e.Amount, e.Currency) });
        return Task.CompletedTask;
    }

    internal static string Amount(long minorUnits, string currency) =>
        $"{minorUnits / 100}.{Math.Abs(minorUnits % 100):00} {currency}";
}
