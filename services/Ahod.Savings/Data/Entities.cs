namespace Ahod.Savings.Data;

/// <summary>A rotating savings group. Amounts are minor units of <see cref="Currency"/>.</summary>
public sealed class Community
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Bio { get; set; }

    public required string Currency { get; set; }

    public long GoalAmount { get; set; }

    public long ContributionAmount { get; set; }

    /// <summary>See <see cref="Frequencies"/>.</summary>
    public required string Frequency { get; set; }

    /// <summary>See <see cref="PayoutMethods"/>.</summary>
    public required string PayoutMethod { get; set; }

    public int MaxMembers { get; set; }

    public bool IsPrivate { get; set; }

    /// <summary>128 random bits, base32: unguessable, and short enough to type from an email.</summary>
    public required string InviteCode { get; set; }

    /// <summary>Days after a cycle's due date before a contribution counts as late (strike and fee).</summary>
    public int GraceDays { get; set; }

    /// <summary>Charged on a late contribution, paid into the pot with it.</summary>
    public long LateFeeAmount { get; set; }

    /// <summary>A member with this many strikes is suspended (no payouts until an admin reinstates them); 0 = never.</summary>
    public int StrikesUntilSuspension { get; set; }

    /// <summary>The scheduler closes a cycle by itself once due date + grace has passed.</summary>
    public bool AutoClose { get; set; }

    /// <summary>The pot's ledger account in Payments, opened on the first contribution.</summary>
    public Guid? PotAccountId { get; set; }

    /// <summary>Increments when every eligible member has received once.</summary>
    public int Season { get; set; } = 1;

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Member
{
    public Guid CommunityId { get; set; }

    public Guid UserId { get; set; }

    /// <summary><c>admin</c> or <c>member</c>.</summary>
    public required string Role { get; set; }

    /// <summary>See <see cref="MemberStatuses"/>.</summary>
    public required string Status { get; set; }

    /// <summary>Order of joining (a database sequence): the default rotation order.</summary>
    public long JoinSequence { get; set; }

    /// <summary>Set by an admin to override join order for rotation; null keeps join order.</summary>
    public int? RotationPosition { get; set; }

    public int Strikes { get; set; }

    /// <summary>When set, payouts to this member are recorded as payments on this student loan.</summary>
    public Guid? PayoutLoanId { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset? JoinedAt { get; set; }

    public DateTimeOffset? LeftAt { get; set; }
}

public sealed class Invite
{
    public Guid Id { get; set; }

    public Guid CommunityId { get; set; }

    public required string Email { get; set; }

    public Guid InvitedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Cycle
{
    public Guid CommunityId { get; set; }

    /// <summary>1, 2, 3... across seasons.</summary>
    public int Number { get; set; }

    public int Season { get; set; }

    public DateTimeOffset OpensAt { get; set; }

    public DateTimeOffset DueAt { get; set; }

    /// <summary>See <see cref="CycleStatuses"/>.</summary>
    public required string Status { get; set; }

    public Guid? RecipientUserId { get; set; }

    /// <summary>Random draw: the seed the recipient was drawn with, so anyone can re-run the draw.</summary>
    public long? DrawSeed { get; set; }

    /// <summary>Bidding: the winning discount, shared among the other members.</summary>
    public long? WinningDiscount { get; set; }

    public long? PayoutAmount { get; set; }

    public Guid? PayoutTransferId { get; set; }

    public Guid? PayoutLoanId { get; set; }

    /// <summary>Who closed it: a user id, or null when the scheduler did.</summary>
    public Guid? ClosedBy { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public DateTimeOffset? DueNotifiedAt { get; set; }

    /// <summary>Set once the scheduler has given strikes for missed contributions after due date + grace.</summary>
    public DateTimeOffset? MissedCheckedAt { get; set; }
}

/// <summary>One member's contribution to one cycle (at most one: unique per community, cycle and member).</summary>
public sealed class Contribution
{
    public Guid Id { get; set; }

    public Guid CommunityId { get; set; }

    public int CycleNumber { get; set; }

    public Guid MemberUserId { get; set; }

    /// <summary>Differs from <see cref="MemberUserId"/> when someone paid on the member's behalf.</summary>
    public Guid PaidByUserId { get; set; }

    public long Amount { get; set; }

    public long LateFee { get; set; }

    /// <summary>Paid after due date + grace days (or after the cycle closed): a strike, and the fee when the rules set one.</summary>
    public bool Late { get; set; }

    public Guid TransferId { get; set; }

    public string? IdempotencyKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A money movement out of the pot: the payout itself, or a share of a bidding discount.</summary>
public sealed class PotDisbursement
{
    public Guid TransferId { get; set; }

    public Guid CommunityId { get; set; }

    public int CycleNumber { get; set; }

    public Guid UserId { get; set; }

    /// <summary><c>payout</c> or <c>dividend</c>.</summary>
    public required string Kind { get; set; }

    public long Amount { get; set; }

    /// <summary><c>pending</c> until Payments confirmed it, then <c>posted</c>.</summary>
    public required string Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Bid
{
    public Guid CommunityId { get; set; }

    public int CycleNumber { get; set; }

    public Guid UserId { get; set; }

    public long Discount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Strike
{
    public Guid CommunityId { get; set; }

    public int CycleNumber { get; set; }

    public Guid UserId { get; set; }

    /// <summary><c>late</c> (paid after due date + grace) or <c>missed</c> (not paid when the check ran).</summary>
    public required string Reason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Plea
{
    public Guid Id { get; set; }

    public Guid CommunityId { get; set; }

    public Guid UserId { get; set; }

    public required string Title { get; set; }

    public required string Body { get; set; }

    /// <summary><c>open</c>, <c>passed</c>, <c>rejected</c> or <c>applied</c> (an admin reordered because of it).</summary>
    public required string Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }
}

public sealed class PleaVote
{
    public Guid PleaId { get; set; }

    public Guid UserId { get; set; }

    public bool InFavor { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class Loan
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public required string Servicer { get; set; }

    public required string Currency { get; set; }

    public long PrincipalAmount { get; set; }

    public long BalanceAmount { get; set; }

    /// <summary>Annual interest rate in basis points (550 = 5.50 %): an integer, like every amount.</summary>
    public int RateBasisPoints { get; set; }

    /// <summary>Day of the month the servicer's payment is due (1-28, so every month has it).</summary>
    public int DueDay { get; set; }

    public long MonthlyPaymentAmount { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

public sealed class LoanPayment
{
    public Guid Id { get; set; }

    public Guid LoanId { get; set; }

    public long Amount { get; set; }

    /// <summary><c>payout</c> (a community payout routed to the loan).</summary>
    public required string Source { get; set; }

    public Guid? CommunityId { get; set; }

    public int? CycleNumber { get; set; }

    public Guid? TransferId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Who runs the scheduler right now: one row per job, taken over only after it expires.</summary>
public sealed class SchedulerLease
{
    public required string Name { get; set; }

    public required string Holder { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

public static class Frequencies
{
    public const string Weekly = "weekly";
    public const string Biweekly = "biweekly";
    public const string Monthly = "monthly";

    public static readonly string[] All = [Weekly, Biweekly, Monthly];

    public static DateTimeOffset Next(string frequency, DateTimeOffset from) => frequency switch
    {
        Weekly => from.AddDays(7),
        Biweekly => from.AddDays(14),
        Monthly => from.AddMonths(1),
        _ => throw new ArgumentOutOfRangeException(nameof(frequency), frequency, "Unknown frequency."),
    };
}

public static class PayoutMethods
{
    public const string Rotation = "rotation";
    public const string RandomDraw = "randomDraw";
    public const string Bidding = "bidding";

    public static readonly string[] All = [Rotation, RandomDraw, Bidding];
}

public static class MemberStatuses
{
    /// <summary>Asked to join a public community; an admin has not approved yet.</summary>
    public const string Pending = "pending";
    public const string Active = "active";
    /// <summary>Too many strikes: still owes contributions, receives no payout until reinstated.</summary>
    public const string Suspended = "suspended";
    public const string Left = "left";
    public const string Declined = "declined";
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Member = "member";
}

public static class CycleStatuses
{
    public const string Open = "open";
    /// <summary>Recipient and amount are fixed and the ledger transfers are being made; resumed after a crash.</summary>
    public const string Closing = "closing";
    public const string Closed = "closed";
}

public static class PleaStatuses
{
    public const string Open = "open";
    public const string Passed = "passed";
    public const string Rejected = "rejected";
    public const string Applied = "applied";
}
