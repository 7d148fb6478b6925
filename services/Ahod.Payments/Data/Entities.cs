namespace Ahod.Payments.Data;

/// <summary>A ledger account. Balances are stored like TigerBeetle's: four monotonic-per-side counters in minor units.</summary>
public sealed class Account
{
    public Guid Id { get; set; }

    /// <summary>See <see cref="AccountKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary><c>user</c>, <c>community</c>, <c>listing</c>, ...; null for system accounts (clearing, fees).</summary>
    public string? OwnerType { get; set; }

    public Guid? OwnerId { get; set; }

    /// <summary>For system accounts: the provider (clearing) or <c>ahod</c> (fee revenue).</summary>
    public string? Provider { get; set; }

    public required string Currency { get; set; }

    /// <summary>Bit flags, see <see cref="AccountFlags"/>.</summary>
    public int Flags { get; set; }

    /// <summary><c>open</c> or <c>closed</c> (after GDPR erasure: history is kept, nothing new moves).</summary>
    public required string Status { get; set; }

    public long DebitsPosted { get; set; }

    public long CreditsPosted { get; set; }

    public long DebitsPending { get; set; }

    public long CreditsPending { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>One movement of money between two accounts of the same currency.</summary>
public sealed class Transfer
{
    public Guid Id { get; set; }

    public Guid DebitAccountId { get; set; }

    public Guid CreditAccountId { get; set; }

    public long Amount { get; set; }

    public required string Currency { get; set; }

    public required string Code { get; set; }

    /// <summary><c>pending</c>, <c>posted</c>, <c>voided</c>, <c>expired</c> or <c>declined</c>.</summary>
    public required string Status { get; set; }

    /// <summary>For the transfer that posts a hold: the hold's id.</summary>
    public Guid? PendingId { get; set; }

    /// <summary>For a hold: when it expires if neither posted nor voided.</summary>
    public DateTimeOffset? TimeoutAt { get; set; }

    public string? Metadata { get; set; }

    /// <summary>The user who asked for it (public API), null for service-initiated transfers.</summary>
    public Guid? InitiatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>An immutable line of an account's history: one per account side of every balance change.</summary>
public sealed class Entry
{
    public long Id { get; set; }

    public Guid AccountId { get; set; }

    public Guid TransferId { get; set; }

    /// <summary><c>D</c> (debit) or <c>C</c> (credit).</summary>
    public required string Side { get; set; }

    /// <summary>True when the entry moves the pending counters rather than the posted ones.</summary>
    public bool Pending { get; set; }

    /// <summary>Added to the side's counter; negative when a pending amount is released.</summary>
    public long Amount { get; set; }

    /// <summary>The account's posted balance (credits − debits) right after this entry.</summary>
    public long BalanceAfter { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>Stripe-style idempotency: the first response for (user, key) is kept and replayed.</summary>
public sealed class IdempotencyRecord
{
    public Guid UserId { get; set; }

    public required string Key { get; set; }

    public required string RequestHash { get; set; }

    /// <summary><c>in_flight</c> or <c>completed</c>.</summary>
    public required string Status { get; set; }

    /// <summary>Which execution owns an in-flight key; the ledger commit checks it so a stale owner cannot post twice.</summary>
    public Guid? LockToken { get; set; }

    public DateTimeOffset? LockedUntil { get; set; }

    public int? ResponseStatus { get; set; }

    public string? ResponseContentType { get; set; }

    public string? ResponseBody { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A withdrawal's payout destination, encrypted with AES-256-GCM under <see cref="KeyId"/>.</summary>
public sealed class WithdrawalDestination
{
    public Guid TransferId { get; set; }

    public Guid UserId { get; set; }

    /// <summary><c>bank</c> or <c>mobileMoney</c>.</summary>
    public required string Type { get; set; }

    public required string KeyId { get; set; }

    public required byte[] Ciphertext { get; set; }

    public required string Last4 { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

public static class AccountKinds
{
    public const string Wallet = "wallet";
    public const string Pot = "pot";
    public const string Escrow = "escrow";
    public const string Clearing = "clearing";
    public const string Fees = "fees";
}

public static class AccountFlags
{
    /// <summary>The account's posted and pending debits may never exceed its posted credits: no overdraft.</summary>
    public const int DebitsMustNotExceedCredits = 1;
}

public static class TransferStatuses
{
    public const string Pending = "pending";
    public const string Posted = "posted";
    public const string Voided = "voided";
    public const string Expired = "expired";
    public const string Declined = "declined";
}
