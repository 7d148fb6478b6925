using System.Collections.Concurrent;
using Ahod.Payments.Data;
using Npgsql;

namespace Ahod.Payments.Accounts;

/// <summary>Opens and finds accounts. Opening is idempotent per owner and currency (a unique index arbitrates races).</summary>
internal sealed class AccountDirectory(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<(string Provider, string Kind, string Currency), Guid> _systemAccounts = new();

    /// <summary>Opens the owner's account of <paramref name="kind"/> in <paramref name="currency"/>, or returns the existing one.</summary>
    public async Task<(Account Account, bool Created)> OpenAsync(string kind, string ownerType, Guid ownerId, string currency, CancellationToken ct)
    {
        var flags = kind is AccountKinds.Wallet or AccountKinds.Pot or AccountKinds.Escrow ? AccountFlags.DebitsMustNotExceedCredits : 0;
        await using var command = dataSource.CreateCommand("""
            INSERT INTO accounts (id, kind, owner_type, owner_id, provider, currency, flags, status,
                                  debits_posted, credits_posted, debits_pending, credits_pending, created_at)
            VALUES ($1, $2, $3, $4, NULL, $5, $6, 'open', 0, 0, 0, 0, now())
            ON CONFLICT (owner_type, owner_id, kind, currency) WHERE owner_id IS NOT NULL DO NOTHING
            RETURNING id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
        command.Parameters.Add(new NpgsqlParameter { Value = kind });
        command.Parameters.Add(new NpgsqlParameter { Value = ownerType });
        command.Parameters.Add(new NpgsqlParameter { Value = ownerId });
        command.Parameters.Add(new NpgsqlParameter { Value = currency });
        command.Parameters.Add(new NpgsqlParameter { Value = flags });
        var created = await command.ExecuteScalarAsync(ct) is Guid;
        var account = await FindByOwnerAsync(kind, ownerType, ownerId, currency, ct)
            ?? throw new InvalidOperationException("The account vanished right after it was opened.");
        return (account, created);
    }

    public async Task<Account?> FindByOwnerAsync(string kind, string ownerType, Guid ownerId, string currency, CancellationToken ct)
    {
        var accounts = await QueryAsync(
            "WHERE kind = $1 AND owner_type = $2 AND owner_id = $3 AND currency = $4", ct, kind, ownerType, ownerId, currency);
        return accounts.FirstOrDefault();
    }

    public async Task<Account?> FindAsync(Guid id, CancellationToken ct) =>
        (await QueryAsync("WHERE id = $1", ct, id)).FirstOrDefault();

    public Task<List<Account>> WalletsOfAsync(Guid userId, CancellationToken ct) =>
        QueryAsync("WHERE owner_type = 'user' AND owner_id = $1 AND kind = 'wallet' ORDER BY created_at, id", ct, userId);

    /// <summary>The provider's clearing account in <paramref name="currency"/>; it may go negative (money in the outside world).</summary>
    public Task<Guid> ClearingAccountAsync(string provider, string currency, CancellationToken ct) =>
        SystemAccountAsync(provider, AccountKinds.Clearing, currency, ct);

    public Task<Guid> FeeAccountAsync(string currency, CancellationToken ct) => SystemAccountAsync("ahod", AccountKinds.Fees, currency, ct);

    private async Task<Guid> SystemAccountAsync(string provider, string kind, string currency, CancellationToken ct)
    {
        if (_systemAccounts.TryGetValue((provider, kind, currency), out var id))
        {
            return id;
        }

        // Two first requests can race: the loser's ON CONFLICT DO NOTHING waits for the winner's commit, but its
        // SELECT still sees the snapshot from before it, so it finds nothing. A new statement sees the row.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await using var command = dataSource.CreateCommand("""
                WITH inserted AS (
                    INSERT INTO accounts (id, kind, owner_type, owner_id, provider, currency, flags, status,
                                          debits_posted, credits_posted, debits_pending, credits_pending, created_at)
                    VALUES ($1, $2, NULL, NULL, $3, $4, 0, 'open', 0, 0, 0, 0, now())
                    ON CONFLICT (provider, kind, currency) WHERE provider IS NOT NULL DO NOTHING
                    RETURNING id)
                SELECT id FROM inserted
                UNION ALL
                SELECT id FROM accounts WHERE provider = $3 AND kind = $2 AND currency = $4
                LIMIT 1
                """);
            command.Parameters.Add(new NpgsqlParameter { Value = Guid.CreateVersion7() });
            command.Parameters.Add(new NpgsqlParameter { Value = kind });
            command.Parameters.Add(new NpgsqlParameter { Value = provider });
            command.Parameters.Add(new NpgsqlParameter { Value = currency });
            if (await command.ExecuteScalarAsync(ct) is Guid found)
            {
                _systemAccounts[(provider, kind, currency)] = found;
                return found;
            }
        }

        throw new InvalidOperationException($"The {kind} account for {provider} in {currency} could neither be opened nor found.");
    }

    private async Task<List<Account>> QueryAsync(string where, CancellationToken ct, params object[] parameters)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT id, kind, owner_type, owner_id, provider, currency, flags, status,
                   debits_posted, credits_posted, debits_pending, credits_pending, created_at
            FROM accounts {where}
            """);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        var accounts = new List<Account>();
        while (await reader.ReadAsync(ct))
        {
            accounts.Add(new Account
            {
                Id = reader.GetGuid(0),
                Kind = reader.GetString(1),
                OwnerType = reader.IsDBNull(2) ? null : reader.GetString(2),
                OwnerId = reader.IsDBNull(3) ? null : reader.GetGuid(3),
                Provider = reader.IsDBNull(4) ? null : reader.GetString(4),
                Currency = reader.GetString(5),
                Flags = reader.GetInt32(6),
                Status = reader.GetString(7),
                DebitsPosted = reader.GetInt64(8),
                CreditsPosted = reader.GetInt64(9),
                DebitsPending = reader.GetInt64(10),
                CreditsPending = reader.GetInt64(11),
                CreatedAt = reader.GetFieldValue<DateTimeOffset>(12),
            });
        }

        return accounts;
    }
}
