using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Ahod.Payments.Idempotency;

/// <summary>Who owns an in-flight key: the ledger commit completes the key only while this token still holds it.</summary>
public sealed record IdempotencyClaim(Guid UserId, string Key, Guid Token);

/// <summary>A key to claim inside the ledger's batch: who, the key, and the hash of the request it stands for.</summary>
public sealed record IdempotencyKey(Guid UserId, string Key, string RequestHash);

/// <summary>A response as stored for replay.</summary>
public sealed record StoredResponse(int Status, string ContentType, string Body);

public abstract record ClaimResult
{
    public sealed record Acquired(IdempotencyClaim Claim) : ClaimResult;

    public sealed record Replay(StoredResponse Response) : ClaimResult;

    public sealed record KeyReused : ClaimResult;

    public sealed record InFlight : ClaimResult;
}

/// <summary>
/// Stripe's idempotency rules on a PostgreSQL table, correct across replicas: the key is claimed with one
/// INSERT ... ON CONFLICT (the unique key arbitrates races), completed in the same transaction as the
/// ledger change, replayed for 24 h. An in-flight claim carries a lease, so a key whose owner crashed
/// becomes usable again instead of answering 409 forever.
/// </summary>
internal sealed class IdempotencyStore(IdempotencyDataSource claims, NpgsqlDataSource dataSource)
{
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>How long a claim protects a running request; the ledger refuses a completion by a stale owner.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(15);

    public static string Hash(string route, object body, JsonSerializerOptions json)
    {
        // The body as the endpoint bound it, re-serialized: property order and whitespace do not change the hash.
        var canonical = route + "\n" + JsonSerializer.Serialize(body, body.GetType(), json);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    public async Task<ClaimResult> ClaimAsync(Guid userId, string key, string requestHash, CancellationToken ct)
    {
        var token = Guid.CreateVersion7();
        await using (var command = claims.DataSource.CreateCommand("""
            INSERT INTO idempotency_keys AS i (user_id, key, request_hash, status, lock_token, locked_until, created_at, expires_at)
            VALUES ($1, $2, $3, 'in_flight', $4, now() + $5, now(), now() + $6)
            ON CONFLICT (user_id, key) DO UPDATE
            SET request_hash = excluded.request_hash, status = 'in_flight', lock_token = excluded.lock_token,
                locked_until = excluded.locked_until, created_at = excluded.created_at, expires_at = excluded.expires_at,
                response_status = NULL, response_content_type = NULL, response_body = NULL
            WHERE i.expires_at < now()
               OR (i.status = 'in_flight' AND i.locked_until < now() AND i.request_hash = excluded.request_hash)
            RETURNING lock_token
            """))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = userId });
            command.Parameters.Add(new NpgsqlParameter { Value = key });
            command.Parameters.Add(new NpgsqlParameter { Value = requestHash });
            command.Parameters.Add(new NpgsqlParameter { Value = token });
            command.Parameters.Add(new NpgsqlParameter { Value = Lease });
            command.Parameters.Add(new NpgsqlParameter { Value = Retention });
            if (await command.ExecuteScalarAsync(ct) is Guid owner && owner == token)
            {
                return new ClaimResult.Acquired(new IdempotencyClaim(userId, key, token));
            }
        }

        await using var read = dataSource.CreateCommand("""
            SELECT request_hash, status, response_status, response_content_type, response_body
            FROM idempotency_keys WHERE user_id = $1 AND key = $2
            """);
        read.Parameters.Add(new NpgsqlParameter { Value = userId });
        read.Parameters.Add(new NpgsqlParameter { Value = key });
        await using var reader = await read.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            // Deleted by the cleanup between our two statements: nobody holds it, so a retry will claim it.
            return new ClaimResult.InFlight();
        }

        if (reader.GetString(0) != requestHash)
        {
            return new ClaimResult.KeyReused();
        }

        return reader.GetString(1) == "completed"
            ? new ClaimResult.Replay(new StoredResponse(reader.GetInt32(2), reader.GetString(3), reader.GetString(4)))
            : new ClaimResult.InFlight();
    }

    /// <summary>Stores the response of a request that ended before reaching the ledger (e.g. 404 account).</summary>
    public async Task CompleteAsync(IdempotencyClaim claim, StoredResponse response, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE idempotency_keys
            SET status = 'completed', lock_token = NULL, locked_until = NULL,
                response_status = $4, response_content_type = $5, response_body = $6
            WHERE user_id = $1 AND key = $2 AND lock_token = $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = claim.UserId });
        command.Parameters.Add(new NpgsqlParameter { Value = claim.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = claim.Token });
        command.Parameters.Add(new NpgsqlParameter { Value = response.Status });
        command.Parameters.Add(new NpgsqlParameter { Value = response.ContentType });
        command.Parameters.Add(new NpgsqlParameter { Value = response.Body });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Frees a key whose request failed unexpectedly before any effect, so the client can retry at once.</summary>
    public async Task ReleaseAsync(IdempotencyClaim claim)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND lock_token = $3 AND status = 'in_flight'");
        command.Parameters.Add(new NpgsqlParameter { Value = claim.UserId });
        command.Parameters.Add(new NpgsqlParameter { Value = claim.Key });
        command.Parameters.Add(new NpgsqlParameter { Value = claim.Token });
        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    public async Task<int> DeleteExpiredAsync(CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(
            "DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT 5000)");
        return await command.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>
/// Connections for claiming keys, with synchronous_commit off: a claim lost in a database crash only frees
/// a key whose request died with it, and it spares each request a second disk flush besides the ledger's.
/// </summary>
internal sealed class IdempotencyDataSource(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    public NpgsqlDataSource DataSource { get; } = dataSource;

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
