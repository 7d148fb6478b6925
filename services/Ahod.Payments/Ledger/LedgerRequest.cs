using System.Text.Json;
using Ahod.Payments.Data;
using Ahod.Payments.Idempotency;

namespace Ahod.Payments.Ledger;

public enum LedgerOperation
{
    /// <summary>Move money now (single phase).</summary>
    Transfer,

    /// <summary>Reserve money: a pending transfer that is later posted, voided or expires.</summary>
    Hold,

    /// <summary>Post a hold, fully or partly; the rest goes back.</summary>
    PostHold,

    /// <summary>Release a hold on request.</summary>
    VoidHold,

    /// <summary>Release a hold whose timeout passed (the expiry job).</summary>
    ExpireHold,

    /// <summary>Record a transfer the provider declined: visible in history, moves nothing.</summary>
    Decline,
}

/// <summary>One instruction for the ledger. Immutable, so a batch can be re-run from scratch after a transient failure.</summary>
public sealed record LedgerRequest
{
    public required LedgerOperation Operation { get; init; }

    /// <summary>The new transfer's id (for PostHold: the posting transfer's). Callers choose it, so a retry is recognised.</summary>
    public required Guid TransferId { get; init; }

    public Guid DebitAccountId { get; init; }

    public Guid CreditAccountId { get; init; }

    public long Amount { get; init; }

    public string Currency { get; init; } = "";

    public string Code { get; init; } = "";

    /// <summary>JSON object or null.</summary>
    public string? Metadata { get; init; }

    public DateTimeOffset? TimeoutAt { get; init; }

    /// <summary>For PostHold, VoidHold and ExpireHold.</summary>
    public Guid? HoldId { get; init; }

    /// <summary>For PostHold: a partial amount; null posts the whole hold.</summary>
    public long? PostAmount { get; init; }

    public Guid? InitiatedBy { get; init; }

    /// <summary>For hold events: what the hold backs (e.g. a marketplace request id).</summary>
    public string? Reference { get; init; }

    /// <summary>W3C traceparent of the operation that asked (set when queued): the events it causes carry it, so their publish joins that trace.</summary>
    public string? TraceParent { get; init; }

    /// <summary>The public API's idempotency key, claimed before, completed in the same transaction as the ledger change.</summary>
    public IdempotencyClaim? Idempotency { get; init; }

    /// <summary>
    /// The public API's idempotency key, claimed, checked and completed inside the ledger's transaction (no round trip of
    /// its own): for requests whose whole effect is this ledger request. Needs <see cref="Render"/>.
    /// </summary>
    public IdempotencyKey? Key { get; init; }

    /// <summary>When set, <see cref="DebitAccountId"/> must be a wallet of this user (checked in the batch).</summary>
    public Guid? DebitWalletOwner { get; init; }

    /// <summary>When set, the credit account is this user's wallet in <see cref="Currency"/> (found in the batch).</summary>
    public Guid? CreditWalletOwner { get; init; }

    /// <summary>Turns the result into the HTTP response that is stored for the key and returned.</summary>
    public Func<LedgerResult, StoredResponse>? Render { get; init; }

    /// <summary>For withdrawals: the encrypted destination, written in the same transaction.</summary>
    public WithdrawalDestination? Destination { get; init; }
}

public enum LedgerOutcome
{
    Created,

    /// <summary>The transfer id (or the hold's posting/voiding) already happened: the original is returned.</summary>
    AlreadyExists,

    /// <summary>A ledger rule refused it (insufficient funds, currency mismatch, hold not pending...).</summary>
    Rejected,

    NotFound,

    /// <summary>The transfer id exists with other parameters.</summary>
    Conflict,

    /// <summary>The idempotency key was taken over by a newer execution; nothing was applied.</summary>
    Superseded,

    /// <summary>Nothing to do (an expiry that lost the race to a post or void).</summary>
    NoOp,

    /// <summary>The <see cref="LedgerRequest.Key"/> completed before with the same request: its stored response is answered.</summary>
    Replayed,

    /// <summary>The <see cref="LedgerRequest.Key"/> was used with another request body.</summary>
    KeyReused,

    /// <summary>The <see cref="LedgerRequest.Key"/> is held by a request still running.</summary>
    KeyInFlight,
}

public sealed record LedgerResult(LedgerOutcome Outcome, TransferView? Transfer = null, string? Reason = null, string? Detail = null)
{
    /// <summary>The rendered response when the request carried <see cref="LedgerRequest.Render"/>.</summary>
    public StoredResponse? Response { get; init; }

    public bool Succeeded => Outcome is LedgerOutcome.Created or LedgerOutcome.AlreadyExists;
}
