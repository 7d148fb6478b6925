using System.ComponentModel.DataAnnotations;

namespace Ahod.Savings.Membership;

public sealed record InviteRequest(
    [Required, MaxLength(254), RegularExpression(@"^[^@\s]+@[^@\s]+\.[^@\s]+$", ErrorMessage = "Enter a valid email address.")] string Email);

public sealed record InviteResponse(Guid Id, string Email, DateTimeOffset CreatedAt);

/// <summary>Private communities need the code; a public one without a code is a request an admin approves.</summary>
public sealed record JoinRequest([MaxLength(64)] string? InviteCode);

public sealed record MembershipResponse(Guid CommunityId, Guid UserId, string Role, string Status, DateTimeOffset? JoinedAt);

public sealed record RotationRequest([Required, MinLength(1), MaxLength(100)] IReadOnlyList<Guid> UserIds);

public sealed record UpdateMyMembershipRequest(Guid? PayoutLoanId);
