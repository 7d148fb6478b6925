namespace Ahod.Savings.Cycles;

/// <param name="CycleNumber">Defaults to the current cycle; an earlier one pays arrears (late).</param>
/// <param name="OnBehalfOf">Pay another member's contribution from your wallet; recorded as paid by you.</param>
public sealed record ContributeRequest(int? CycleNumber, Guid? OnBehalfOf);

public sealed record ContributionResponse(
    Guid Id,
    Guid CommunityId,
    int CycleNumber,
    Guid MemberUserId,
    Guid PaidByUserId,
    Money Amount,
    Money LateFee,
    bool Late,
    Guid TransferId,
    DateTimeOffset CreatedAt);

public sealed record CycleContribution(Guid MemberUserId, Guid PaidByUserId, Money Amount, Money LateFee, DateTimeOffset PaidAt);

public sealed record CycleBid(Guid UserId, Money Discount, DateTimeOffset CreatedAt);

public sealed record CycleDisbursement(Guid UserId, string Kind, Money Amount, Guid TransferId, string Status);

public sealed record CycleResponse(
    int Number,
    int Season,
    DateTimeOffset OpensAt,
    DateTimeOffset DueAt,
    DateTimeOffset LateAfter,
    string Status,
    IReadOnlyList<CycleContribution> Contributions,
    IReadOnlyList<Guid> Late,
    IReadOnlyList<Guid> Unpaid,
    Guid? Recipient,
    long? DrawSeed,
    Money? WinningDiscount,
    Money? Payout,
    Guid? PayoutLoanId,
    IReadOnlyList<CycleDisbursement> Disbursements,
    IReadOnlyList<CycleBid> Bids,
    DateTimeOffset? ClosedAt);

public sealed record BidRequest(Money Discount);
