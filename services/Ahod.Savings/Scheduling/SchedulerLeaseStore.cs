using Ahod.Savings.Data;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Savings.Scheduling;

/// <summary>
/// A lease row in PostgreSQL: a replica runs the job only while it holds an unexpired lease. Taking it is one
/// atomic upsert that succeeds only if nobody holds it or the holder let it expire (a crashed replica).
/// </summary>
public sealed class SchedulerLeaseStore(SavingsDbContext db)
{
    public async Task<bool> TryAcquireAsync(string name, string holder, DateTimeOffset now, TimeSpan duration, CancellationToken cancellationToken)
    {
        var expiresAt = now + duration;
        var taken = await db.Database.SqlQuery<string>($"""
            INSERT INTO scheduler_leases (name, holder, expires_at) VALUES ({name}, {holder}, {expiresAt})
            ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
                WHERE scheduler_leases.holder = EXCLUDED.holder OR scheduler_leases.expires_at < {now}
            RETURNING holder AS "Value"
            """).ToListAsync(cancellationToken);
        return taken.Count == 1;
    }

    public Task ReleaseAsync(string name, string holder, CancellationToken cancellationToken) =>
        db.SchedulerLeases.Where(l => l.Name == name && l.Holder == holder).ExecuteDeleteAsync(cancellationToken);
}
