using System.Data;
using Ahod.Messaging.Outbox;
using Ahod.Payments.Data;
using Ahod.Payments.Idempotency;
using Npgsql;
using NpgsqlTypes;

namespace Ahod.Payments.Ledger;

/// <summary>
/// The ledger's SQL: applies a batch of ledger requests in ONE PostgreSQL transaction and two round trips. The first
/// reads and locks everything the batch touches in a fixed order (holds by id, then accounts by id, including the
/// wallets that sends name by owner, then idempotency keys) so concurrent batches, on any replica, queue instead of
/// deadlocking. <see cref="LedgerRules"/> then decides each request in memory against running balances, so one
/// overdraft fails only itself. The second writes transfers, entries, balances, events (outbox) and idempotency
/// records with one multi-row statement each: a crash leaves all of them or none.
/// </summary>
internal sealed partial class LedgerExecutor(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string TransferColumns =
        "id, debit_account_id, credit_account_id, amount, currency, code, status, pending_id, timeout_at, metadata::text, initiated_by, created_at";

    public async Task<(LedgerResult[] Results, IReadOnlyList<Guid> EventIds)> ExecuteAsync(IReadOnlyList<LedgerRequest> requests, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);

        var state = await LockAsync(connection, transaction, requests, cancellationToken);
        var writes = new LedgerWrites();
        var results = LedgerRules.Decide(requests, state, writes, time.GetUtcNow());

        await WriteAsync(connection, transaction, state, writes, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (results, [.. writes.Events.Select(e => e.Event.Id)]);
    }

    private static async Task<LedgerState> LockAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<LedgerRequest> requests, CancellationToken ct)
    {
        var holdIds = requests.Where(r => r.HoldId is not null).Select(r => r.HoldId!.Value).Distinct().ToArray();
        var newIds = requests.Where(r => r.Operation is not (LedgerOperation.VoidHold or LedgerOperation.ExpireHold))
            .Select(r => r.TransferId).Distinct().ToArray();
        var accountIds = requests.Where(r => r.HoldId is null)
            .SelectMany(r => new[] { r.DebitAccountId, r.CreditAccountId }).Where(id => id != Guid.Empty).Distinct().ToArray();
        var owners = requests.Where(r => r.CreditWalletOwner is not null).Select(r => (Owner: r.CreditWalletOwner!.Value, r.Currency)).Distinct().ToArray();
        var keys = requests.Where(r => r.Idempotency is not null).Select(r => (r.Idempotency!.UserId, r.Idempotency.Key))
            .Concat(requests.Where(r => r.Key is not null).Select(r => (r.Key!.UserId, r.Key.Key))).Distinct().ToArray();

        await using var batch = new NpgsqlBatch(connection, transaction);
        batch.BatchCommands.Add(Command(
            $"SELECT {TransferColumns} FROM transfers WHERE id = ANY(@p0) ORDER BY id FOR UPDATE", holdIds));
        batch.BatchCommands.Add(Command(
            $"SELECT {TransferColumns} FROM transfers WHERE id = ANY(@p0) OR pending_id = ANY(@p1)", newIds, holdIds));
        batch.BatchCommands.Add(Command("""
            SELECT id, currency, flags, status, debits_posted, credits_posted, debits_pending, credits_pending, kind, owner_type, owner_id
            FROM accounts
            WHERE id = ANY(@p0 || ARRAY(SELECT debit_account_id FROM transfers WHERE id = ANY(@p1))
                               || ARRAY(SELECT credit_account_id FROM transfers WHERE id = ANY(@p1))
                               || ARRAY(SELECT w.id FROM accounts w JOIN unnest(@p2, @p3) AS u(owner_id, currency)
                                        ON w.owner_type = 'user' AND w.owner_id = u.owner_id AND w.kind = 'wallet' AND w.currency = u.currency))
            ORDER BY id FOR UPDATE
            """, accountIds, holdIds, owners.Select(o => o.Owner).ToArray(), owners.Select(o => o.Currency).ToArray()));
        batch.BatchCommands.Add(Command("""
            SELECT i.user_id, i.key, i.lock_token, i.status, i.request_hash, i.response_status, i.response_content_type, i.response_body,
                   i.expires_at < now(), coalesce(i.locked_until < now(), false)
            FROM idempotency_keys i JOIN unnest(@p0, @p1) AS u(user_id, key) ON i.user_id = u.user_id AND i.key = u.key
            ORDER BY i.user_id, i.key FOR UPDATE OF i
            """, keys.Select(c => c.UserId).ToArray(), keys.Select(c => c.Key).ToArray()));

        var state = new LedgerState();
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
            var account = new AccountState(reader.GetGuid(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3),
                reader.GetString(8), reader.IsDBNull(9) ? null : reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetGuid(10))
            {
                DebitsPosted = reader.GetInt64(4),
                CreditsPosted = reader.GetInt64(5),
                DebitsPending = reader.GetInt64(6),
                CreditsPending = reader.GetInt64(7),
            };
            state.Add(account);
        }

        await reader.NextResultAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var (userId, key, completed) = (reader.GetGuid(0), reader.GetString(1), reader.GetString(3) == "completed");
            if (!completed && !reader.IsDBNull(2))
            {
                state.OwnedKeys.Add((userId, key, reader.GetGuid(2)));
            }

            state.Keys[(userId, key)] = new StoredKey(reader.GetString(4),
                completed ? new StoredResponse(reader.GetInt32(5), reader.GetString(6), reader.GetString(7)) : null,
                reader.GetBoolean(8), reader.GetBoolean(9));
        }

        return state;
    }

    private static async Task WriteAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, LedgerState state, LedgerWrites writes, CancellationToken ct)
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
            var o = writes.Events.Select(e =>
            {
                var message = OutboxMessage.From(e.Event);
                message.TraceParent = e.TraceParent ?? message.TraceParent;
                return message;
            }).ToList();
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

        // Keys claimed in the batch: a free one is inserted (if another replica inserted it meanwhile, the unique key
        // fails the transaction and the batcher re-runs the batch, which then sees it), a stale one overwritten.
        var n = writes.NewKeys;
        if (n.Count > 0)
        {
            batch.BatchCommands.Add(Command("""
                INSERT INTO idempotency_keys (user_id, key, request_hash, status, created_at, expires_at, response_status, response_content_type, response_body)
                SELECT user_id, key, h, 'completed', now(), now() + @p5, s, ct, b FROM unnest(@p0, @p1, @p2, @p3, @p4, @p6) AS u(user_id, key, h, s, ct, b)
                """,
                n.Select(x => x.Key.UserId).ToArray(), n.Select(x => x.Key.Key).ToArray(), n.Select(x => x.Key.RequestHash).ToArray(),
                n.Select(x => x.Response.Status).ToArray(), n.Select(x => x.Response.ContentType).ToArray(), IdempotencyStore.Retention,
                n.Select(x => x.Response.Body).ToArray()));
        }

        var o2 = writes.TakenOverKeys;
        if (o2.Count > 0)
        {
            batch.BatchCommands.Add(Command("""
                UPDATE idempotency_keys i
                SET request_hash = u.h, status = 'completed', lock_token = NULL, locked_until = NULL, created_at = now(), expires_at = now() + @p5,
                    response_status = u.s, response_content_type = u.ct, response_body = u.b
                FROM unnest(@p0, @p1, @p2, @p3, @p4, @p6) AS u(user_id, key, h, s, ct, b)
                WHERE i.user_id = u.user_id AND i.key = u.key
                """,
                o2.Select(x => x.Key.UserId).ToArray(), o2.Select(x => x.Key.Key).ToArray(), o2.Select(x => x.Key.RequestHash).ToArray(),
                o2.Select(x => x.Response.Status).ToArray(), o2.Select(x => x.Response.ContentType).ToArray(), IdempotencyStore.Retention,
                o2.Select(x => x.Response.Body).ToArray()));
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
}
