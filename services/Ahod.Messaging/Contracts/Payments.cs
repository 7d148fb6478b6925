namespace Ahod.Messaging.Contracts;

/// <summary>A ledger transfer was posted. Amount is in minor units of <paramref name="Currency"/> (ISO 4217).</summary>
/// <param name="Code">What the transfer was for, e.g. <c>transfer</c>, <c>deposit</c>, <c>contribution</c>, <c>payout</c>, <c>escrow-release</c>.</param>
[IntegrationEvent("payment.transfer-posted")]
public sealed record PaymentTransferPosted(
    Guid TransferId,
    Guid DebitAccountId,
    Guid CreditAccountId,
    long Amount,
    string Currency,
    string Code)
    : IntegrationEvent;

/// <summary>Funds were reserved (escrow, scheduled contribution); pending until released.</summary>
/// <param name="Reference">The business object the hold backs, e.g. a marketplace request id.</param>
[IntegrationEvent("payment.hold-placed")]
public sealed record PaymentHoldPlaced(
    Guid HoldId,
    Guid AccountId,
    long Amount,
    string Currency,
    string Reference,
    DateTimeOffset ExpiresAt)
    : IntegrationEvent;

/// <summary>A hold left the pending state.</summary>
/// <param name="Outcome"><c>posted</c> (funds moved, see <paramref name="TransferId"/>), <c>voided</c> or <c>expired</c>.</param>
[IntegrationEvent("payment.hold-released")]
public sealed record PaymentHoldReleased(
    Guid HoldId,
    Guid AccountId,
    long Amount,
    string Currency,
    string Reference,
    string Outcome,
    Guid? TransferId)
    : IntegrationEvent;
