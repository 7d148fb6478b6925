using System.ComponentModel.DataAnnotations;

namespace Ahod.Savings.Communities;

public sealed record CommunityRulesRequest(
    [Range(0, 60)] int GraceDays,
    Money? LateFee,
    [Range(0, 100)] int StrikesUntilSuspension,
    bool AutoClose);

public sealed record CreateCommunityRequest(
    [Required, MinLength(3), MaxLength(100)] string Name,
    [MaxLength(2000)] string? Bio,
    [Required] Money Goal,
    [Required] Money Contribution,
    [Required] string Frequency,
    [Required] string PayoutMethod,
    [Range(2, 100)] int MaxMembers,
    bool IsPrivate,
    CommunityRulesRequest? Rules);

public sealed record CommunityRulesResponse(int GraceDays, Money LateFee, int StrikesUntilSuspension, bool AutoClose);

public sealed record MemberResponse(
    Guid UserId,
    string Role,
    string Status,
    DateTimeOffset? JoinedAt,
    int? RotationPosition,
    int Strikes,
    bool ReceivedThisSeason);

public sealed record CycleSummary(
    int Number,
    int Season,
    DateTimeOffset DueAt,
    string Status,
    IReadOnlyList<Guid> Paid,
    IReadOnlyList<Guid> Unpaid,
    Guid? Recipient,
    Guid? NextInRotation);

public sealed record ProgressResponse(Money Goal, Money Contributed, Money PaidOut, Money InPot, int PercentOfGoal);

public sealed record CommunityResponse(
    Guid Id,
    string Name,
    string Bio,
    Money Goal,
    Money Contribution,
    string Frequency,
    string PayoutMethod,
    int MaxMembers,
    bool IsPrivate,
    string? InviteCode,
    Guid? PotAccountId,
    int Season,
    CommunityRulesResponse Rules,
    string? MyRole,
    string? MyStatus,
    IReadOnlyList<MemberResponse> Members,
    CycleSummary? CurrentCycle,
    ProgressResponse Progress,
    DateTimeOffset CreatedAt);

/// <summary>What a list shows: no members, no invite code.</summary>
public sealed record CommunityListItem(
    Guid Id,
    string Name,
    string Bio,
    Money Goal,
    Money Contribution,
    string Frequency,
    string PayoutMethod,
    int MaxMembers,
    int MemberCount,
    bool IsPrivate,
    string? MyStatus,
    DateTimeOffset CreatedAt);
