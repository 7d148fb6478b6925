using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.Savings.Data;
using Ahod.Savings.Ledger;
using Ahod.Savings.Payouts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Ahod.Savings.Scheduling;

/// <summary>
/// The clock-driven part of the rules, once per interval on exactly one replica (see <see cref="SchedulerLeaseStore"/>):
/// reminds members before a due date, gives strikes for contributions still missing after due date + grace,
/// closes cycles of communities that close automatically, and resumes closings interrupted half-way.
/// Every step is idempotent, so a pass that dies mid-way is simply repeated by the next holder.
/// </summary>
public sealed class SavingsScheduler(
    IServiceScopeFactory scopes, IOptions<SchedulerOptions> options, TimeProvider clock, ILogger<SavingsScheduler> logger) : BackgroundService
{
    public const string LeaseName = "savings-scheduler";

    private readonly string _holder = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, clock);
        do
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                logger.LogError(e, "Scheduler pass failed; the next pass retries.");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One pass, if this replica holds the lease. Returns whether it ran.</summary>
    public async Task<bool> RunOnceAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var leases = scope.ServiceProvider.GetRequiredService<SchedulerLeaseStore>();
            if (!await leases.TryAcquireAsync(LeaseName, _holder, clock.GetUtcNow(), settings.LeaseDuration, cancellationToken))
            {
                return false;
            }
        }

        await SendRemindersAsync(settings, cancellationToken);
        await HandleOverdueAsync(cancellationToken);
        return true;
    }

    private async Task SendRemindersAsync(SchedulerOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<SavingsDbContext>();
        var now = clock.GetUtcNow();
        var horizon = now + settings.DueReminderLead;
        var cycles = await db.Cycles
            .Where(c => c.Status == CycleStatuses.Open && c.DueNotifiedAt == null && c.DueAt <= horizon)
            .OrderBy(c => c.DueAt).Take(100)
            .ToListAsync(cancellationToken);
        foreach (var cycle in cycles)
        {
            var community = await db.Communities.AsNoTracking().SingleAsync(c => c.Id == cycle.CommunityId, cancellationToken);
            var owing = await db.Members
                .Where(m => m.CommunityId == cycle.CommunityId && (m.Status == MemberStatuses.Active || m.Status == MemberStatuses.Suspended) &&
                            !db.Contributions.Any(x => x.CommunityId == cycle.CommunityId && x.CycleNumber == cycle.Number && x.MemberUserId == m.UserId))
                .Select(m => m.UserId).ToListAsync(cancellationToken);
            foreach (var userId in owing)
            {
                db.AddIntegrationEvent(new CommunityContributionDue(
                    cycle.CommunityId, cycle.Number, userId, community.ContributionAmount, community.Currency, cycle.DueAt) { OccurredAt = now });
            }

            // The reminders and the mark that they were sent commit together: sent once, never lost.
            cycle.DueNotifiedAt = now;
            await db.SaveChangesAsync(cancellationToken);
        }
    }

    private async Task HandleOverdueAsync(CancellationToken cancellationToken)
    {
        List<(Guid CommunityId, int Number, bool AutoClose, string Status)> overdue;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<SavingsDbContext>();
            var now = clock.GetUtcNow();
            // Grace is per community, so filter the candidates (due in the past) in memory.
            var candidates = await db.Cycles.AsNoTracking()
                .Where(c => c.Status != CycleStatuses.Closed && c.DueAt < now)
                .Join(db.Communities, c => c.CommunityId, k => k.Id, (c, k) => new { c.CommunityId, c.Number, c.Status, c.DueAt, c.MissedCheckedAt, k.GraceDays, k.AutoClose })
                .Where(c => c.Status == CycleStatuses.Closing || c.AutoClose || c.MissedCheckedAt == null)
                .OrderBy(c => c.DueAt).Take(200)
                .ToListAsync(cancellationToken);
            overdue = candidates
                .Where(c => c.Status == CycleStatuses.Closing || (now > c.DueAt.AddDays(c.GraceDays) && (c.AutoClose || c.MissedCheckedAt == null)))
                .Select(c => (c.CommunityId, c.Number, c.AutoClose, c.Status))
                .ToList();
        }

        foreach (var (communityId, number, autoClose, status) in overdue)
        {
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                if (autoClose || status == CycleStatuses.Closing)
                {
                    var outcome = await scope.ServiceProvider.GetRequiredService<PayoutService>().CloseAsync(communityId, number, closedBy: null, cancellationToken);
                    if (outcome.Cycle is null)
                    {
                        logger.LogWarning("Could not close cycle {Cycle} of {Community}: {Title} {Detail}", number, communityId, outcome.Title, outcome.Detail);
                        await StrikeMissedAsync(scope.ServiceProvider.GetRequiredService<SavingsDbContext>(), communityId, number, cancellationToken);
                    }
                }
                else
                {
                    await StrikeMissedAsync(scope.ServiceProvider.GetRequiredService<SavingsDbContext>(), communityId, number, cancellationToken);
                }
            }
            catch (PaymentsUnavailableException e)
            {
                logger.LogWarning(e, "Payments unavailable while closing cycle {Cycle} of {Community}; retried next pass.", number, communityId);
            }
        }
    }

    private async Task StrikeMissedAsync(SavingsDbContext db, Guid communityId, int number, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var community = await db.Communities.FromSql($"SELECT * FROM communities WHERE id = {communityId} FOR UPDATE").SingleAsync(cancellationToken);
        var cycle = await db.Cycles.SingleAsync(c => c.CommunityId == communityId && c.Number == number, cancellationToken);
        if (cycle.MissedCheckedAt is not null)
        {
            return;
        }

        await PayoutService.StrikeMissedAsync(db, community, cycle, clock.GetUtcNow(), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
