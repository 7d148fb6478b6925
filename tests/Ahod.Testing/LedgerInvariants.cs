using Npgsql;

namespace Ahod.Testing;

/// <summary>
/// Payments' ledger invariants, checked in SQL on its database: every account's stored counters equal the sum of its
/// entries, no wallet, pot or escrow below zero, and per currency the balances sum to zero (clearing accounts hold minus
/// what came in from outside, so user money equals deposits minus withdrawals), and every transfer has balanced entries.
/// </summary>
public static class LedgerInvariants
{
    private static readonly (string Rule, string Sql)[] Rules =
    [
        ("every account's counters equal the sum of its entries", """
            SELECT count(*) FROM accounts a
            LEFT JOIN LATERAL (
                SELECT coalesce(sum(amount) FILTER (WHERE side = 'D' AND NOT pending), 0) AS dp,
                       coalesce(sum(amount) FILTER (WHERE side = 'C' AND NOT pending), 0) AS cp,
                       coalesce(sum(amount) FILTER (WHERE side = 'D' AND pending), 0) AS dpe,
                       coalesce(sum(amount) FILTER (WHERE side = 'C' AND pending), 0) AS cpe
                FROM entries e WHERE e.account_id = a.id) s ON true
            WHERE a.debits_posted <> s.dp OR a.credits_posted <> s.cp OR a.debits_pending <> s.dpe OR a.credits_pending <> s.cpe
            """),
        ("no wallet, pot or escrow below zero", """
            SELECT count(*) FROM accounts WHERE (flags & 1) = 1 AND debits_posted + debits_pending > credits_posted
            """),
        ("per currency, balances sum to zero: user money = deposits - withdrawals", """
            SELECT count(*) FROM (SELECT currency FROM accounts GROUP BY currency
                                  HAVING sum(credits_posted - debits_posted) <> 0 OR sum(credits_pending - debits_pending) <> 0) x
            """),
        ("no transfer without its entries", """
            SELECT count(*) FROM transfers t WHERE t.status IN ('posted', 'pending', 'voided', 'expired')
              AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.transfer_id = t.id)
            """),
        ("each transfer debits exactly what it credits", """
            SELECT count(*) FROM (SELECT transfer_id FROM entries GROUP BY transfer_id
                                  HAVING sum(amount) FILTER (WHERE side = 'D') <> sum(amount) FILTER (WHERE side = 'C')) x
            """),
    ];

    /// <summary>The rules broken, each with how many rows break it; empty when the ledger is balanced.</summary>
    public static async Task<IReadOnlyList<string>> ViolationsAsync(string paymentsDb, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(paymentsDb);
        await connection.OpenAsync(cancellationToken);
        var broken = new List<string>();
        foreach (var (rule, sql) in Rules)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            if ((long)(await command.ExecuteScalarAsync(cancellationToken))! is var rows and > 0)
            {
                broken.Add($"{rule} ({rows} violating)");
            }
        }

        return broken;
    }
}
