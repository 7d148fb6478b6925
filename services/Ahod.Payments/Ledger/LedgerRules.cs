using Ahod.Messaging.Contracts;
using Ahod.Payments.Data;
using Ahod.Payments.Idempotency;

namespace Ahod.Payments.Ledger;

/// <summary>
/// The ledger's rules as a pure function, TigerBeetle's way: given the rows a batch locked (<see cref="LedgerState"/>) and
/// the batch's requests in order, decide each request against running in-memory balances and collect what to write
/// (<see cref="LedgerWrites"/>). No I/O here: <see cref="LedgerExecutor"/> reads the state and writes the result with
/// multi-row SQL in one transaction, and unit tests call <see cref="Decide"/> without a database. A request refused by
/// a rule fails alone; the others in the batch still apply.
/// </summary>
internal static class LedgerRules
{
    public const string WalletNotFound = "wallet_not_found";
    public const string RecipientWalletMissing = "recipient_wallet_missing";

    /// <summary>Decides every request of a batch in order; each sees the balances the earlier ones left.</summary>
    public static LedgerResult[] Decide(IReadOnlyList<LedgerRequest> requests, LedgerState state, LedgerWrites writes, DateTimeOffset now)
    {
        var results = new LedgerResult[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (request.Key is { } key)
            {
                results[i] = DecideKeyed(request, key, state, writes, now);
                continue;
            }

            var result = request.Idempotency is { } claim && !state.OwnedKeys.Contains((claim.UserId, claim.Key, claim.Token))
                ? new LedgerResult(LedgerOutcome.Superseded, Detail: "The idempotency key was taken over by a later attempt.")
                : Apply(request, state, writes, now);

            if (request.Render is { } render && result.Outcome != LedgerOutcome.Superseded)
            {
                var response = render(result);
                result = result with { Response = response };
                if (request.Idempotency is { } owned)
                {
                    writes.Completions.Add((owned, response));
                }
            }

            results[i] = result;
        }

        return results;
    }

    /// <summary>
    /// A public request whose Idempotency-Key is claimed inside the batch (Stripe's rules): a completed key with the same
    /// body replays its stored response, with another body it is refused, a key still running elsewhere answers 409; a
    /// free, expired or abandoned key is taken, and the request's rendered response is stored with the ledger change.
    /// </summary>
    private static LedgerResult DecideKeyed(LedgerRequest request, IdempotencyKey key, LedgerState state, LedgerWrites writes, DateTimeOffset now)
    {
        var id = (key.UserId, key.Key);
        if (state.KeysDecided.TryGetValue(id, out var earlier))
        {
            // The same key twice in one batch (a client retrying at once): the second answers what the first did.
            return earlier.RequestHash == key.RequestHash
                ? new LedgerResult(LedgerOutcome.Replayed) { Response = earlier.Response }
                : new LedgerResult(LedgerOutcome.KeyReused);
        }

        var takeOver = false;
        if (state.Keys.TryGetValue(id, out var stored))
        {
            if (!stored.Expired)
            {
                if (stored.RequestHash != key.RequestHash)
                {
                    return new LedgerResult(LedgerOutcome.KeyReused);
                }

                if (stored.Response is { } response)
                {
                    return new LedgerResult(LedgerOutcome.Replayed) { Response = response };
                }

                if (!stored.LeaseExpired)
                {
                    return new LedgerResult(LedgerOutcome.KeyInFlight);
                }
            }

            takeOver = true;
        }

        var result = ResolveWallets(request, state, out var resolved) ?? Apply(resolved, state, writes, now);
        var rendered = (request.Render ?? throw new InvalidOperationException("A keyed ledger request must render its response."))(result);
        result = result with { Response = rendered };
        (takeOver ? writes.TakenOverKeys : writes.NewKeys).Add((key, rendered));
        state.KeysDecided[id] = (key.RequestHash, rendered);
        return result;
    }

    /// <summary>
    /// For a send from the public API: the debit account must be a wallet of <see cref="LedgerRequest.DebitWalletOwner"/> in
    /// the amount's currency, and the credit account is the wallet of <see cref="LedgerRequest.CreditWalletOwner"/> in it.
    /// </summary>
    private static LedgerResult? ResolveWallets(LedgerRequest request, LedgerState state, out LedgerRequest resolved)
    {
        resolved = request;
        if (request.DebitWalletOwner is { } owner)
        {
            if (!state.Accounts.TryGetValue(request.DebitAccountId, out var wallet)
                || wallet.Kind != AccountKinds.Wallet || wallet.OwnerType != "user" || wallet.OwnerId != owner)
            {
                return new LedgerResult(LedgerOutcome.NotFound, Reason: WalletNotFound, Detail: "No such wallet of yours.");
            }

            if (wallet.Currency != request.Currency)
            {
                return Reject(LedgerReasons.CurrencyMismatch, $"The wallet holds {wallet.Currency}, the amount is in {request.Currency}.");
            }
        }

        if (request.CreditWalletOwner is { } recipient)
        {
            if (!state.WalletsByOwner.TryGetValue((recipient, request.Currency), out var credit))
            {
                return Reject(RecipientWalletMissing, $"The recipient has no {request.Currency} wallet.");
            }

            resolved = request with { CreditAccountId = credit };
        }

        return null;
    }

    public static LedgerResult Apply(LedgerRequest request, LedgerState state, LedgerWrites writes, DateTimeOffset now) => request.Operation switch
    {
        LedgerOperation.Transfer or LedgerOperation.Hold or LedgerOperation.Decline => Create(request, state, writes, now),
        LedgerOperation.PostHold => PostHold(request, state, writes, now),
        LedgerOperation.VoidHold or LedgerOperation.ExpireHold => ReleaseHold(request, state, writes, now),
        _ => throw new ArgumentOutOfRangeException(nameof(request), request.Operation, "Unknown ledger operation."),
    };

    private static LedgerResult Create(LedgerRequest request, LedgerState state, LedgerWrites writes, DateTimeOffset now)
    {
        if (state.Transfers.TryGetValue(request.TransferId, out var existing))
        {
            return existing.DebitAccountId == request.DebitAccountId && existing.CreditAccountId == request.CreditAccountId
                   && existing.Amount == request.Amount && existing.Currency == request.Currency
                ? new LedgerResult(LedgerOutcome.AlreadyExists, ContractViews.ToTransferView(existing))
                : new LedgerResult(LedgerOutcome.Conflict, ContractViews.ToTransferView(existing), LedgerReasons.TransferIdReused,
                    "A transfer with this id exists with other accounts or amount.");
        }

        if (request.DebitAccountId == request.CreditAccountId)
        {
            return Reject(LedgerReasons.SameAccount, "The debit and credit accounts are the same.");
        }

        if (!state.Accounts.TryGetValue(request.DebitAccountId, out var debit) || !state.Accounts.TryGetValue(request.CreditAccountId, out var credit))
        {
            return new LedgerResult(LedgerOutcome.NotFound, Reason: LedgerReasons.AccountNotFound, Detail: "An account does not exist.");
        }

        if (debit.Currency != request.Currency || credit.Currency != request.Currency)
        {
            return Reject(LedgerReasons.CurrencyMismatch,
                $"Both accounts must be in {request.Currency}; they are {debit.Currency} and {credit.Currency}.");
        }

        if (debit.Status != "open" || credit.Status != "open")
        {
            return Reject(LedgerReasons.AccountClosed, "An account is closed.");
        }

        var transfer = new Transfer
        {
            Id = request.TransferId,
            DebitAccountId = debit.Id,
            CreditAccountId = credit.Id,
            Amount = request.Amount,
            Currency = request.Currency,
            Code = request.Code,
            Status = request.Operation switch
            {
                LedgerOperation.Hold => TransferStatuses.Pending,
                LedgerOperation.Decline => TransferStatuses.Declined,
                _ => TransferStatuses.Posted,
            },
            TimeoutAt = request.Operation == LedgerOperation.Hold ? request.TimeoutAt : null,
            Metadata = request.Metadata,
            InitiatedBy = request.InitiatedBy,
            CreatedAt = now,
        };

        if (request.Operation != LedgerOperation.Decline)
        {
            if (!debit.CanDebit(request.Amount))
            {
                return Reject(LedgerReasons.InsufficientFunds, "The account's available balance is lower than the amount.");
            }

            var pending = request.Operation == LedgerOperation.Hold;
            writes.Entries.Add(debit.Apply('D', pending, request.Amount, transfer.Id, now));
            writes.Entries.Add(credit.Apply('C', pending, request.Amount, transfer.Id, now));
            if (pending)
            {
                if (PublishesHoldEvents(transfer.Code))
                {
                    writes.Publish(request, new PaymentHoldPlaced(transfer.Id, debit.Id, transfer.Amount, transfer.Currency,
                        request.Reference ?? "", transfer.TimeoutAt ?? DateTimeOffset.MaxValue));
                }
            }
            else
            {
                writes.Publish(request, new PaymentTransferPosted(transfer.Id, debit.Id, credit.Id, transfer.Amount, transfer.Currency, transfer.Code));
            }
        }

        if (request.Destination is { } destination)
        {
            destination.TransferId = transfer.Id;
            destination.CreatedAt = now;
            writes.Destinations.Add(destination);
        }

        writes.NewTransfers.Add(transfer);
        state.Transfers[transfer.Id] = transfer;
        return new LedgerResult(LedgerOutcome.Created, ContractViews.ToTransferView(transfer));
    }

    private static LedgerResult PostHold(LedgerRequest request, LedgerState state, LedgerWrites writes, DateTimeOffset now)
    {
        if (request.HoldId is not { } holdId || !state.Holds.TryGetValue(holdId, out var hold) || hold.PendingId is not null)
        {
            return new LedgerResult(LedgerOutcome.NotFound, Reason: LedgerReasons.HoldNotFound, Detail: "No such hold.");
        }

        if (state.PostingOf.TryGetValue(holdId, out var posting))
        {
            return new LedgerResult(LedgerOutcome.AlreadyExists, ContractViews.ToTransferView(posting));
        }

        if (hold.Status != TransferStatuses.Pending)
        {
            return Reject(LedgerReasons.HoldNotPending, $"The hold is {hold.Status}.", hold);
        }

        if (hold.TimeoutAt is { } timeout && timeout <= now)
        {
            return Reject(LedgerReasons.HoldExpired, "The hold timed out.", hold);
        }

        if (request.Currency.Length > 0 && request.Currency != hold.Currency)
        {
            return Reject(LedgerReasons.CurrencyMismatch, $"The hold is in {hold.Currency}.", hold);
        }

        var amount = request.PostAmount ?? hold.Amount;
        if (amount <= 0 || amount > hold.Amount)
        {
            return Reject(LedgerReasons.AmountExceedsHold, $"The amount to post must be between 1 and {hold.Amount}.", hold);
        }

        if (state.Transfers.ContainsKey(request.TransferId))
        {
            return new LedgerResult(LedgerOutcome.Conflict, Reason: LedgerReasons.TransferIdReused, Detail: "The posting transfer id is taken.");
        }

        var debit = state.Accounts[hold.DebitAccountId];
        var credit = state.Accounts[hold.CreditAccountId];
        var posted = new Transfer
        {
            Id = request.TransferId,
            DebitAccountId = hold.DebitAccountId,
            CreditAccountId = hold.CreditAccountId,
            Amount = amount,
            Currency = hold.Currency,
            Code = hold.Code,
            Status = TransferStatuses.Posted,
            PendingId = hold.Id,
            Metadata = request.Metadata ?? hold.Metadata,
            InitiatedBy = hold.InitiatedBy,
            CreatedAt = now,
        };

        writes.NewTransfers.Add(posted);
        state.Transfers[posted.Id] = posted;
        // Release the whole reservation, then post what was taken: a partial post returns the rest.
        writes.Entries.Add(debit.Apply('D', pending: true, -hold.Amount, hold.Id, now));
        writes.Entries.Add(credit.Apply('C', pending: true, -hold.Amount, hold.Id, now));
        writes.Entries.Add(debit.Apply('D', pending: false, amount, posted.Id, now));
        writes.Entries.Add(credit.Apply('C', pending: false, amount, posted.Id, now));
        hold.Status = TransferStatuses.Posted;
        writes.HoldStatuses[hold.Id] = hold.Status;
        state.PostingOf[hold.Id] = posted;

        writes.Publish(request, new PaymentTransferPosted(posted.Id, debit.Id, credit.Id, amount, posted.Currency, posted.Code));
        if (PublishesHoldEvents(hold.Code))
        {
            writes.Publish(request, new PaymentHoldReleased(hold.Id, debit.Id, hold.Amount, hold.Currency, ReferenceOf(hold), "posted", posted.Id));
        }

        return new LedgerResult(LedgerOutcome.Created, ContractViews.ToTransferView(posted));
    }

    private static LedgerResult ReleaseHold(LedgerRequest request, LedgerState state, LedgerWrites writes, DateTimeOffset now)
    {
        var expiring = request.Operation == LedgerOperation.ExpireHold;
        if (request.HoldId is not { } holdId || !state.Holds.TryGetValue(holdId, out var hold) || hold.PendingId is not null)
        {
            return new LedgerResult(LedgerOutcome.NotFound, Reason: LedgerReasons.HoldNotFound, Detail: "No such hold.");
        }

        var target = expiring ? TransferStatuses.Expired : TransferStatuses.Voided;
        if (hold.Status != TransferStatuses.Pending)
        {
            return hold.Status == target
                ? new LedgerResult(expiring ? LedgerOutcome.NoOp : LedgerOutcome.AlreadyExists, ContractViews.ToTransferView(hold))
                : expiring
                    ? new LedgerResult(LedgerOutcome.NoOp, ContractViews.ToTransferView(hold))
                    : Reject(LedgerReasons.HoldNotPending, $"The hold is {hold.Status}.", hold);
        }

        if (expiring && (hold.TimeoutAt is not { } timeout || timeout > now))
        {
            return new LedgerResult(LedgerOutcome.NoOp, ContractViews.ToTransferView(hold));
        }

        var debit = state.Accounts[hold.DebitAccountId];
        var credit = state.Accounts[hold.CreditAccountId];
        writes.Entries.Add(debit.Apply('D', pending: true, -hold.Amount, hold.Id, now));
        writes.Entries.Add(credit.Apply('C', pending: true, -hold.Amount, hold.Id, now));
        hold.Status = target;
        writes.HoldStatuses[hold.Id] = target;
        if (PublishesHoldEvents(hold.Code))
        {
            writes.Publish(request, new PaymentHoldReleased(hold.Id, debit.Id, hold.Amount, hold.Currency, ReferenceOf(hold), target, null));
        }

        return new LedgerResult(LedgerOutcome.Created, ContractViews.ToTransferView(hold));
    }

    // A slow deposit is a pending transfer too, but it reserves nothing a consumer cares about.
    private static bool PublishesHoldEvents(string code) => code != "deposit";

    private static string ReferenceOf(Transfer hold) =>
        ContractViews.ParseMetadata(hold.Metadata) is { ValueKind: System.Text.Json.JsonValueKind.Object } metadata
        && metadata.TryGetProperty("reference", out var reference) && reference.ValueKind == System.Text.Json.JsonValueKind.String
            ? reference.GetString() ?? ""
            : "";

    private static LedgerResult Reject(string reason, string detail, Transfer? transfer = null) =>
        new(LedgerOutcome.Rejected, transfer is null ? null : ContractViews.ToTransferView(transfer), reason, detail);
}

/// <summary>What a batch locked, with running balances: the input of <see cref="LedgerRules"/>.</summary>
internal sealed class LedgerState
{
    public Dictionary<Guid, Transfer> Holds { get; } = [];

    public Dictionary<Guid, Transfer> Transfers { get; } = [];

    public Dictionary<Guid, Transfer> PostingOf { get; } = [];

    public Dictionary<Guid, AccountState> Accounts { get; } = [];

    public HashSet<(Guid UserId, string Key, Guid Token)> OwnedKeys { get; } = [];

    /// <summary>Wallets of users by (owner, currency), for sends that name the recipient.</summary>
    public Dictionary<(Guid OwnerId, string Currency), Guid> WalletsByOwner { get; } = [];

    /// <summary>Idempotency keys of keyed requests as stored (locked) when the batch began.</summary>
    public Dictionary<(Guid UserId, string Key), StoredKey> Keys { get; } = [];

    /// <summary>Keys this batch has decided so far, with the response stored for them.</summary>
    public Dictionary<(Guid UserId, string Key), (string RequestHash, StoredResponse Response)> KeysDecided { get; } = [];

    /// <summary>Adds a locked account (tests build a state by hand with it).</summary>
    public AccountState Add(AccountState account)
    {
        Accounts[account.Id] = account;
        if (account is { Kind: AccountKinds.Wallet, OwnerType: "user", OwnerId: { } owner })
        {
            WalletsByOwner[(owner, account.Currency)] = account.Id;
        }

        return account;
    }
}

/// <summary>An idempotency key as stored; <paramref name="Response"/> is set once it completed.</summary>
internal sealed record StoredKey(string RequestHash, StoredResponse? Response, bool Expired, bool LeaseExpired);

/// <summary>What a batch writes: the output of <see cref="LedgerRules"/>, written by <see cref="LedgerExecutor"/>.</summary>
internal sealed class LedgerWrites
{
    public List<Transfer> NewTransfers { get; } = [];

    public Dictionary<Guid, string> HoldStatuses { get; } = [];

    public List<Entry> Entries { get; } = [];

    public List<WithdrawalDestination> Destinations { get; } = [];

    /// <summary>Events to write to the outbox, each with the traceparent of the request that caused it.</summary>
    public List<(IntegrationEvent Event, string? TraceParent)> Events { get; } = [];

    public void Publish(LedgerRequest cause, IntegrationEvent integrationEvent) => Events.Add((integrationEvent, cause.TraceParent));

    public List<(IdempotencyClaim Claim, StoredResponse Response)> Completions { get; } = [];

    /// <summary>Keys claimed in this batch that were free: inserted as completed.</summary>
    public List<(IdempotencyKey Key, StoredResponse Response)> NewKeys { get; } = [];

    /// <summary>Keys claimed in this batch that had expired or whose owner died: overwritten as completed.</summary>
    public List<(IdempotencyKey Key, StoredResponse Response)> TakenOverKeys { get; } = [];
}

/// <summary>A locked account with its running balances for this batch.</summary>
internal sealed class AccountState(Guid id, string currency, int flags, string status, string kind = AccountKinds.Wallet, string? ownerType = null, Guid? ownerId = null)
{
    public Guid Id { get; } = id;

    public string Currency { get; } = currency;

    public string Status { get; } = status;

    public string Kind { get; } = kind;

    public string? OwnerType { get; } = ownerType;

    public Guid? OwnerId { get; } = ownerId;

    public long DebitsPosted { get; set; }

    public long CreditsPosted { get; set; }

    public long DebitsPending { get; set; }

    public long CreditsPending { get; set; }

    public bool Dirty { get; private set; }

    public bool CanDebit(long amount) =>
        (flags & AccountFlags.DebitsMustNotExceedCredits) == 0 || checked(DebitsPosted + DebitsPending + amount) <= CreditsPosted;

    public Entry Apply(char side, bool pending, long amount, Guid transferId, DateTimeOffset now)
    {
        checked
        {
            switch (side, pending)
            {
                case ('D', false): DebitsPosted += amount; break;
                case ('C', false): CreditsPosted += amount; break;
                case ('D', true): DebitsPending += amount; break;
                default: CreditsPending += amount; break;
            }
        }

        Dirty = true;
        return new Entry
        {
            AccountId = Id,
            TransferId = transferId,
            Side = side.ToString(),
            Pending = pending,
            Amount = amount,
            BalanceAfter = CreditsPosted - DebitsPosted,
            CreatedAt = now,
        };
    }
}
