using System.Data;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.Payments.Data;
using Npgsql;
using NpgsqlTypes;

namespace Ahod.Payments.Ledger;

/// <summary>
/// Applies a batch of ledger requests in ONE PostgreSQL transaction. Rows are locked in a fixed order
/// (holds by id, then accounts by id, then idempotency keys) so concurrent batches, on any replica, queue
/// instead of deadlocking. Each request is then checked against running in-memory balances computed from
/// the locked rows, so one overdraft fails only itself. Transfers, entries, balances, events (outbox) and
/// idempotency records are written together: a crash leaves all of them or none.
/// </summary>
internal sealed partial class LedgerExecutor(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string TransferColumns =
        "id, debit_account_id, credit_account_id, amount, currency, code, status, pending_id, timeout_at, metadata::text, initiated_by, created_at";

    public async Task<(LedgerResult[] Results, bool WroteEvents)> ExecuteAsync(IReadOnlyList<LedgerRequest> requests, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

        var state = await LockAsync(connection, transaction, requests, cancellationToken);
        var now = time.GetUtcNow();
        var writes = new Writes();
        var results = new LedgerResult[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
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

        await WriteAsync(connection, transaction, state, writes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (results, writes.Events.Count > 0);
    }

    private static LedgerResult Apply(LedgerRequest request, BatchState state, Writes writes, DateTimeOffset now) => request.Operation switch
    {
        LedgerOperation.Transfer or LedgerOperation.Hold or LedgerOperation.Decline => Create(request, state, writes, now),
        LedgerOperation.PostHold => PostHold(request, state, writes, now),
        LedgerOperation.VoidHold or LedgerOperation.ExpireHold => ReleaseHold(request, state, writes, now),
        _ => throw new ArgumentOutOfRangeException(nameof(request), request.Operation, "Unknown ledger operation."),
    };

    private static LedgerResult Create(LedgerRequest request, BatchState state, Writes writes, DateTimeOffset now)
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
                    writes.Events.Add(new PaymentHoldPlaced(transfer.Id, debit.Id, transfer.Amount, transfer.Currency,
                        request.Reference ?? "", transfer.TimeoutAt ?? DateTimeOffset.MaxValue));
                }
            }
            else
            {
                writes.Events.Add(new PaymentTransferPosted(transfer.Id, debit.Id, credit.Id, transfer.Amount, transfer.Currency, transfer.Code));
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

    private static LedgerResult PostHold(LedgerRequest request, BatchState state, Writes writes, DateTimeOffset now)
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

        writes.Events.Add(new PaymentTransferPosted(posted.Id, debit.Id, credit.Id, amount, posted.Currency, posted.Code));
        if (PublishesHoldEvents(hold.Code))
        {
            writes.Events.Add(new PaymentHoldReleased(hold.Id, debit.Id, hold.Amount, hold.Currency, ReferenceOf(hold), "posted", posted.Id));
        }

        return new LedgerResult(LedgerOutcome.Created, ContractViews.ToTransferView(posted));
    }

    private static LedgerResult ReleaseHold(LedgerRequest request, BatchState state, Writes writes, DateTimeOffset now)
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
            writes.Events.Add(new PaymentHoldReleased(hold.Id, debit.Id, hold.Amount, hold.Currency, ReferenceOf(hold), target, null));
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

    private static async Task<BatchState> LockAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<LedgerRequest> requests, CancellationToken ct)
    {
        var holdIds = requests.Where(r => r.HoldId is not null).Select(r => r.HoldId!.Value).Distinct().ToArray();
        var newIds = requests.Where(r => r.Operation is not (LedgerOperation.VoidHold or LedgerOperation.ExpireHold))
            .Select(r => r.TransferId).Distinct().ToArray();
        var accountIds = requests.Where(r => r.HoldId is null)
            .SelectMany(r => new[] { r.DebitAccountId, r.CreditAccountId }).Distinct().ToArray();
        var claims = requests.Where(r => r.Idempotency is not null).Select(r => r.Idempotency!).ToArray();

        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(
            $"SELECT {TransferColumns} FROM transfers WHERE id = ANY(@p0) ORDER BY id FOR UPDATE", holdIds));
        batch.BatchCommands.Add(Command(
            $"SELECT {TransferColumns} FROM transfers WHERE id = ANY(@p0) OR pending_id = ANY(@p1)", newIds, holdIds));
        batch.BatchCommands.Add(Command("""
            SELECT id, currency, flags, status, debits_posted, credits_posted, debits_pending, credits_pending
            FROM accounts
            WHERE id = ANY(@p0 || ARRAY(SELECT debit_account_id FROM transfers WHERE id = ANY(@p1))
                               || ARRAY(SELECT credit_account_id FROM transfers WHERE id = ANY(@p1)))
            ORDER BY id FOR UPDATE
            """, accountIds, holdIds));
        batch.BatchCommands.Add(Command("""
            SELECT i.user_id, i.key, i.lock_token
            FROM idempotency_keys i JOIN unnest(@p0, @p1) AS u(user_id, key) ON i.user_id = u.user_id AND i.key = u.key
            WHERE i.status = 'in_flight'
            ORDER BY i.user_id, i.key FOR UPDATE OF i
            """, claims.Select(c => c.UserId).ToArray(), claims.Select(c => c.Key).ToArray()));

        var state = new BatchState();
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var hold = ReadTransfer(reader);
            state.Holds[hold.Id] = hold;
            state.Transfers[hold.Id] = hold;
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var transfer = ReadTransfer(reader);
            if (state.Holds.TryGetValue(transfer.Id, out var locked))
            {
                transfer = locked;
            }

            state.Transfers[transfer.Id] = transfer;
            if (transfer.PendingId is { } pendingId)
            {
                state.PostingOf[pendingId] = transfer;
            }
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var account = new AccountState(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3))
            {
                DebitsPosted = reader.GetInt64(4),
                CreditsPosted = reader.GetInt64(5),
                DebitsPending = reader.GetInt64(6),
                CreditsPending = reader.GetInt64(7),
            };
            state.Accounts[account.Id] = account;
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            if (!reader.IsDBNull(2))
            {
                state.OwnedKeys.Add((reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2)));
            }
        }

        return state;
    }

    private static async Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, BatchState state, Writes writes, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        var t = writes.NewTransfers;
        if (t.Count > 0)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, currency, code, status, pending_id, timeout_at, metadata, initiated_by, created_at)
                SELECT id, d, c, a, cur, code, st, p, tmo, m::jsonb, ib, ca
                FROM unnest(@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11) AS u(id, d, c, a, cur, code, st, p, tmo, m, ib, ca)
                """,
                t.Select(x => x.Id).ToArray(), t.Select(x => x.DebitAccountId).ToArray(), t.Select(x => x.CreditAccountId).ToArray(),
                t.Select(x => x.Amount).ToArray(), t.Select(x => x.Currency).ToArray(), t.Select(x => x.Code).ToArray(),
                t.Select(x => x.Status).ToArray(), t.Select(x => x.PendingId).ToArray(), t.Select(x => x.TimeoutAt).ToArray(),
                t.Select(x => x.Metadata).ToArray(), t.Select(x => x.InitiatedBy).ToArray(), t.Select(x => x.CreatedAt).ToArray()));
        }

        if (writes.HoldStatuses.Count > 0)
        {
            batch.BatchCommands.Add(Command(
                "UPDATE transfers t SET status = u.status FROM unnest(@p0, @p1) AS u(id, status) WHERE t.id = u.id",
                writes.HoldStatuses.Keys.ToArray(), writes.HoldStatuses.Values.ToArray()));
        }

        var dirty = state.Accounts.Values.Where(a => a.Dirty).ToList();
        if (dirty.Count > 0)
        {
            batch.BatchCommands.Add(Command("""
                UPDATE accounts a
                SET debits_posted = u.dp, credits_posted = u.cp, debits_pending = u.dpe, credits_pending = u.cpe
                FROM unnest(@p0, @p1, @p2, @p3, @p4) AS u(id, dp, cp, dpe, cpe)
                WHERE a.id = u.id
                """,
                dirty.Select(a => a.Id).ToArray(), dirty.Select(a => a.DebitsPosted).ToArray(), dirty.Select(a => a.CreditsPosted).ToArray(),
                dirty.Select(a => a.DebitsPending).ToArray(), dirty.Select(a => a.CreditsPending).ToArray()));
        }

        var e = writes.Entries;
        if (e.Count > 0)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO entries (account_id, transfer_id, side, pending, amount, balance_after, created_at)
                SELECT * FROM unnest(@p0, @p1, @p2, @p3, @p4, @p5, @p6)
                """,
                e.Select(x => x.AccountId).ToArray(), e.Select(x => x.TransferId).ToArray(), e.Select(x => x.Side).ToArray(),
                e.Select(x => x.Pending).ToArray(), e.Select(x => x.Amount).ToArray(), e.Select(x => x.BalanceAfter).ToArray(),
                e.Select(x => x.CreatedAt).ToArray()));
        }

        foreach (var d in writes.Destinations)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO withdrawal_destinations (transfer_id, user_id, type, key_id, ciphertext, last4, created_at)
                VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6)
                """, d.TransferId, d.UserId, d.Type, d.KeyId, d.Ciphertext, d.Last4, d.CreatedAt));
        }

        if (writes.Events.Count > 0)
        {
            var o = writes.Events.Select(OutboxMessage.From).ToList();
            batch.BatchCommands.Add(Command("""
                INSERT INTO outbox_messages (id, type, payload, occurred_at, created_at, attempts, trace_parent)
                SELECT id, type, payload::jsonb, oa, ca, 0, tp FROM unnest(@p0, @p1, @p2, @p3, @p4, @p5) AS u(id, type, payload, oa, ca, tp)
                """,
                o.Select(x => x.Id).ToArray(), o.Select(x => x.Type).ToArray(), o.Select(x => x.Payload).ToArray(),
                o.Select(x => x.OccurredAt).ToArray(), o.Select(x => x.CreatedAt).ToArray(), o.Select(x => x.TraceParent).ToArray()));
        }

        var c = writes.Completions;
        if (c.Count > 0)
        {
            batch.BatchCommands.Add(Command("""
                UPDATE idempotency_keys i
                SET status = 'completed', lock_token = NULL, locked_until = NULL,
                    response_status = u.s, response_content_type = u.ct, response_body = u.b
                FROM unnest(@p0, @p1, @p2, @p3, @p4) AS u(user_id, key, s, ct, b)
                WHERE i.user_id = u.user_id AND i.key = u.key
                """,
                c.Select(x => x.Claim.UserId).ToArray(), c.Select(x => x.Claim.Key).ToArray(), c.Select(x => x.Response.Status).ToArray(),
                c.Select(x => x.Response.ContentType).ToArray(), c.Select(x => x.Response.Body).ToArray()));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] parameters)
    {
        // Positional placeholders: Npgsql sends them as they are, named ones it must rewrite on every call.
        var command = new NpgsqlBatchCommand(Placeholder().Replace(sql, m =>
            "$" + (int.Parse(m.Groups[1].ValueSpan, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(Parameter(parameter));
        }

        return command;
    }

    private static NpgsqlParameter Parameter(object? value)
    {
        const string name = "";
        // Arrays of nullable values and text need explicit types: Npgsql cannot infer them from a null element.
        return value switch
        {
            Guid?[] guids => new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Uuid) { Value = guids.Select(g => g.HasValue ? (object)g.Value : DBNull.Value).ToArray() },
            DateTimeOffset?[] times => new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = times.Select(x => x.HasValue ? (object)x.Value : DBNull.Value).ToArray() },
            string?[] texts => new NpgsqlParameter(name, NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = texts.Select(x => x is null ? DBNull.Value : (object)x).ToArray() },
            _ => new NpgsqlParameter(name, value ?? DBNull.Value),
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"@p(\d+)")]
    private static partial System.Text.RegularExpressions.Regex Placeholder();

    private static Transfer ReadTransfer(NpgsqlDataReader reader) => new()
    {
        Id = reader.GetGuid(0),
        DebitAccountId = reader.GetGuid(1),
        CreditAccountId = reader.GetGuid(2),
        Amount = reader.GetInt64(3),
        Currency = reader.GetString(4),
        Code = reader.GetString(5),
        Status = reader.GetString(6),
        PendingId = reader.IsDBNull(7) ? null : reader.GetGuid(7),
        TimeoutAt = reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
        Metadata = reader.IsDBNull(9) ? null : reader.GetString(9),
        InitiatedBy = reader.IsDBNull(10) ? null : reader.GetGuid(10),
        CreatedAt = reader.GetFieldValue<DateTimeOffset>(11),
    };

    private sealed class BatchState
    {
        public Dictionary<Guid, Transfer> Holds { get; } = [];

        public Dictionary<Guid, Transfer> Transfers { get; } = [];

        public Dictionary<Guid, Transfer> PostingOf { get; } = [];

        public Dictionary<Guid, AccountState> Accounts { get; } = [];

        public HashSet<(Guid UserId, string Key, Guid Token)> OwnedKeys { get; } = [];
    }

    private sealed class Writes
    {
        public List<Transfer> NewTransfers { get; } = [];

        public Dictionary<Guid, string> HoldStatuses { get; } = [];

        public List<Entry> Entries { get; } = [];

        public List<WithdrawalDestination> Destinations { get; } = [];

        public List<IntegrationEvent> Events { get; } = [];

        public List<(Idempotency.IdempotencyClaim Claim, Idempotency.StoredResponse Response)> Completions { get; } = [];
    }

    /// <summary>A locked account with its running balances for this batch.</summary>
    private sealed class AccountState(Guid id, string currency, int flags, string status)
    {
        public Guid Id { get; } = id;

        public string Currency { get; } = currency;

        public string Status { get; } = status;

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
}
