namespace Ahod.Messaging.Contracts;

[IntegrationEvent("community.created")]
public sealed record CommunityCreated(
    Guid CommunityId,
    string Name,
    Guid CreatedByUserId,
    long ContributionAmount,
    string Currency,
    string Frequency,
    int MaxMembers,
    bool IsPrivate)
    : IntegrationEvent;

[IntegrationEvent("community.member-joined")]
public sealed record CommunityMemberJoined(Guid CommunityId, Guid UserId) : IntegrationEvent;

[IntegrationEvent("community.member-left")]
public sealed record CommunityMemberLeft(Guid CommunityId, Guid UserId) : IntegrationEvent;

/// <summary>A member owes the contribution for a cycle; drives notifications and reminders.</summary>
[IntegrationEvent("community.contribution-due")]
public sealed record CommunityContributionDue(
    Guid CommunityId,
    int CycleNumber,
    Guid UserId,
    long Amount,
    string Currency,
    DateTimeOffset DueAt)
    : IntegrationEvent;

/// <summary>A cycle was closed and its pot paid to the recipient by the ledger transfer <paramref name="TransferId"/>.</summary>
[IntegrationEvent("community.payout-made")]
public sealed record CommunityPayoutMade(
    Guid CommunityId,
    int CycleNumber,
    Guid RecipientUserId,
    Guid TransferId,
    long Amount,
    string Currency)
    : IntegrationEvent;
