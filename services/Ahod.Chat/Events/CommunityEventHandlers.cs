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

    public async Task HandleAsync(CommunityMemberJoined e, CancellationToken ct)
    {
        var (conversation, _) = await EnsureAsync(e.CommunityId, null, ct);
        // Two joins handled at once (two replicas, or two deliveries in one) would each miss the other among the
        // participants, and nobody would hear of the second newcomer: the conversation's row lock (held until the
        // event's transaction commits) takes them one at a time.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM conversations WHERE id = {conversation.Id} FOR UPDATE", ct);
        var others = await conversations.ParticipantIdsAsync(conversation.Id, ct);
        await conversations.AddParticipantAsync(conversation.Id, e.UserId, ct);
        var name = await db.Users.Where(u => u.Id == e.UserId).Select(u => u.FirstName + " " + u.LastName).SingleOrDefaultAsync(ct) ?? "Someone";
        foreach (var member in others.Where(o => o != e.UserId))
        {
            notifications.Add(member, e.Id, NotificationTypes.MemberJoined, "New member",
                $"{name.Trim()} joined {conversation.Title ?? "your community"}.", new { e.CommunityId, e.UserId, conversationId = conversation.Id });
        }
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
