using Ahod.Payments.Idempotency;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ahod.Payments.Ledger;

/// <summary>
/// The ledger's clock: expires holds past their timeout, settles the sandbox provider's slow deposits (what a
/// provider webhook does in production), and drops idempotency keys older than 24 h. Every replica runs it;
/// the ledger locks each hold row and re-checks its status, so a hold is expired or settled exactly once.
/// </summary>
internal sealed class LedgerMaintenance(
    NpgsqlDataSource dataSource,
    LedgerBatcher ledger,
    IdempotencyStore idempotency,
    IOptions<PaymentsOptions> options,
    TimeProvider time,
    ILogger<LedgerMaintenance> logger) : BackgroundService
{
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var nextCleanup = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(settings.BackgroundInterval, time, stoppingToken);
                await ExpireHoldsAsync(stoppingToken);
                await SettleSandboxDepositsAsync(settings.SandboxSettlementDelay, stoppingToken);
                if (time.GetUtcNow() >= nextCleanup)
                {
                    await idempotency.DeleteExpiredAsync(stoppingToken);
                    nextCleanup = time.GetUtcNow() + CleanupInterval;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Ledger maintenance round failed; retrying at the next round");
            }
        }
    }

    private async Task ExpireHoldsAsync(CancellationToken ct)
    {
        var ids = await IdsAsync("SELECT id FROM transfers WHERE status = 'pending' AND timeout_at <= now() ORDER BY timeout_at LIMIT 500", null, ct);
        var results = await Task.WhenAll(ids.Select(id =>
            ledger.SubmitAsync(new LedgerRequest { Operation = LedgerOperation.ExpireHold, TransferId = id, HoldId = id })));
        var expired = results.Count(r => r.Outcome == LedgerOutcome.Created);
        if (expired > 0)
        {
            logger.LogInformation("Expired {Count} holds", expired);
        }
    }

    private async Task SettleSandboxDepositsAsync(TimeSpan delay, CancellationToken ct)
    {
        var ids = await IdsAsync("""
            SELECT id FROM transfers
            WHERE status = 'pending' AND code = 'deposit' AND metadata->>'provider' = 'sandbox' AND created_at <= now() - $1
            ORDER BY created_at LIMIT 500
            """, delay, ct);
        await Task.WhenAll(ids.Select(id =>
            ledger.SubmitAsync(new LedgerRequest { Operation = LedgerOperation.PostHold, TransferId = Guid.CreateVersion7(), HoldId = id })));
    }

    private async Task<List<Guid>> IdsAsync(string sql, TimeSpan? parameter, CancellationToken ct)
    {
        await using var command = dataSource.CreateCommand(sql);
        if (parameter is { } value)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await using var reader = await command.ExecuteReaderAsync(ct);
        var ids = new List<Guid>();
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }
}
