using System.Text.Json;

namespace Ahod.Contracts.Payments;

/// <summary>
/// Payments' service-to-service API (under <c>/internal</c>, authenticated by the internal API key, never routed by the
/// gateway): its paths and the records both sides serialize, so a caller reads what Payments writes instead of guessing.
/// Transfer and hold ids are the caller's idempotency ids: the same id replays the first result.
/// </summary>
public static class PaymentsInternalApi
{
    public const string Pots = "/internal/accounts/pots";
    public const string Transfers = "/internal/transfers";
    public const string Holds = "/internal/holds";

    public static string Account(Guid accountId) => $"/internal/accounts/{accountId}";

    public static string WalletsOf(Guid userId) => $"/internal/users/{userId}/wallets";

    public static string PostHold(Guid holdId) => $"{Holds}/{holdId}/post";

    public static string VoidHold(Guid holdId) => $"{Holds}/{holdId}/void";
}

/// <summary>Opens (or returns) the account of an owner in a currency: 201 when created, 200 when it existed.</summary>
/// <param name="OwnerType">What owns it, e.g. <c>community</c> or <c>listing</c>.</param>
/// <param name="Kind"><c>pot</c> (the default) or <c>escrow</c>.</param>
public sealed record OpenAccountRequest(string? OwnerType, Guid OwnerId, string? Currency, string? Kind = null);

/// <summary>Any ledger account.</summary>
/// <param name="Balance">Posted credits less posted debits: what the account holds.</param>
/// <param name="Available">The balance less money held out of it (what can be spent now).</param>
public sealed record AccountView(
    Guid Id, string Kind, string? OwnerType, Guid? OwnerId, string? Provider, string Currency, string Status,
    Money Balance, Money Available, Money PendingDebits, Money PendingCredits);

/// <summary>The Wallet shape: what can be spent now, and what is on its way in.</summary>
public sealed record WalletView(Guid Id, string Currency, Money Available, Money Pending, string Status);

/// <summary>Moves <paramref name="Amount"/> from one account to another now (201, or 200 when the id was already used).</summary>
public sealed record TransferRequest(Guid Id, Guid DebitAccountId, Guid CreditAccountId, Money? Amount, string? Code, JsonElement? Metadata);

/// <summary>Reserves money on the debited account until it is posted, voided or the timeout passes.</summary>
public sealed record HoldRequest(
    Guid Id, Guid DebitAccountId, Guid CreditAccountId, Money? Amount, string? Code, int TimeoutSeconds, string? Reference, JsonElement? Metadata);

/// <summary>Posts a hold, wholly or <paramref name="Amount"/> of it, as the transfer <paramref name="Id"/>.</summary>
public sealed record PostHoldRequest(Guid? Id, Money? Amount);

/// <summary>The Transfer shape: <c>status</c> is pending, posted, voided, expired or declined.</summary>
public sealed record TransferView(
    Guid Id,
    string Status,
    Money Amount,
    Guid DebitAccountId,
    Guid CreditAccountId,
    string Code,
    Guid? PendingId,
    DateTimeOffset? TimeoutAt,
    JsonElement? Metadata,
    DateTimeOffset CreatedAt);

/// <summary>The <c>code</c> of a ledger refusal (422 or 409 ProblemDetails).</summary>
public static class LedgerReasons
{
    public const string InsufficientFunds = "insufficient_funds";
    public const string CurrencyMismatch = "currency_mismatch";
    public const string AccountNotFound = "account_not_found";
    public const string AccountClosed = "account_closed";
    public const string SameAccount = "same_account";
    public const string HoldNotFound = "hold_not_found";
    public const string HoldNotPending = "hold_not_pending";
    public const string HoldExpired = "hold_expired";
    public const string AmountExceedsHold = "amount_exceeds_hold";
    public const string TransferIdReused = "transfer_id_reused";
}
