using System.Diagnostics;
using System.Text;
using Ahod.Messaging.Diagnostics;
using Ahod.Messaging.RabbitMq;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Ahod.Messaging.Outbox;

/// <summary>
/// Publishes committed outbox rows of <typeparamref name="TDbContext"/> to the topic exchange, in batches, oldest first
/// within a batch. A row is marked processed only after the broker confirmed it; while RabbitMQ is down rows simply stay
/// and are retried with backoff, so nothing is lost. Rows are locked with <c>FOR UPDATE SKIP LOCKED</c> for the whole
/// round, so replicas share the work and never publish the same row at the same time. A crash between confirm and
/// commit publishes a row again later: delivery is at-least-once and consumers de-duplicate through their inbox.
/// <para>
/// Two ways to a row. The rows this process commits arrive through <see cref="IOutboxSignal"/> and are locked by
/// primary key. Everything else (another replica's rows, a crashed process's, a failed publish) is found by a sweep
/// of the unprocessed-rows index at most once per <see cref="MessagingOptions.RelayPollInterval"/>, and after a failed
/// round's backoff (its rows are still unprocessed). The sweep is kept
/// off the hot path because published rows leave dead entries in that index until VACUUM, and under a steady stream
/// of events a scan from its start reads thousands of them each time (measured in Chat's benchmark: 14-20 ms per
/// scan, PostgreSQL's largest cost after the messages themselves).
/// </para>
/// </summary>
internal sealed class OutboxRelay<TDbContext>(
    IServiceScopeFactory scopeFactory,
    RabbitMqPublisher publisher,
    IOutboxSignal signal,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<OutboxRelay<TDbContext>> logger) : BackgroundService
    where TDbContext : DbContext
{
    private static readonly TimeSpan CleanupInterval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var backoff = TimeSpan.Zero;
        var nextCleanup = time.GetUtcNow();
        var nextSweep = time.GetUtcNow();
        // Until the first round succeeds, a broker or database that is not reachable yet is how a start looks, not a failure.
        var started = false;

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // A sweep when one is due (always first), otherwise the ids this process committed. A wake-up can find
                // no ids (a commit signalled while the round before was running, and that round took its ids): that
                // is no reason to sweep early (it did, about 25 times a second per Chat replica), only to wait again.
                var now = time.GetUtcNow();
                var sweep = now >= nextSweep;
                var ids = sweep ? [] : signal.Take(settings.RelayBatchSize);
                if (!sweep && ids.Count == 0)
                {
                    await signal.WaitAsync(nextSweep - now, stoppingToken);
                    continue;
                }

                if (sweep)
                {
                    nextSweep = now + settings.RelayPollInterval;
                }

                var round = await RelayBatchAsync(settings, ids, stoppingToken);
                if (round.Failed > 0)
                {
                    // The rows that failed stay unprocessed: the next round sweeps for them (after the backoff).
                    nextSweep = time.GetUtcNow();
                    backoff = NextBackoff(backoff, started ? settings.RelayMaxBackoff : settings.StartMaxBackoff);
                    logger.Log(started ? LogLevel.Warning : LogLevel.Information,
                        "Outbox relay: {Failed} of {Total} events not published ({Error}); retrying in {Backoff}",
                        round.Failed, round.Total, round.Error, backoff);
                    await Task.Delay(backoff, time, stoppingToken);
                    continue;
                }

                started = true;
                backoff = TimeSpan.Zero;
                if (round.Total > 0)
                {
                    logger.LogInformation("Outbox relay published {Count} events", round.Total);
                }
                else
                {
                    logger.LogDebug("Outbox relay: nothing to publish");
                }

                if (time.GetUtcNow() >= nextCleanup)
                {
                    await DeletePublishedAsync(settings, stoppingToken);
                    nextCleanup = time.GetUtcNow() + CleanupInterval;
                }

                // A full batch, or ids still queued, means more rows are waiting: go again at once.
                if (round.Total < settings.RelayBatchSize && !signal.HasPending)
                {
                    var untilSweep = nextSweep - time.GetUtcNow();
                    if (untilSweep > TimeSpan.Zero)
                    {
                        await signal.WaitAsync(untilSweep, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The database is unreachable or similar: the rows are safe where they are, and swept for after the backoff.
                nextSweep = time.GetUtcNow();
                backoff = NextBackoff(backoff, started ? settings.RelayMaxBackoff : settings.StartMaxBackoff);
                if (started)
                {
                    logger.LogWarning(ex, "Outbox relay round failed; retrying in {Backoff}", backoff);
                }
                else
                {
                    logger.LogInformation("Outbox relay not ready yet ({Error}); retrying in {Backoff}", ex.Message, backoff);
                }

                try
                {
                    await Task.Delay(backoff, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<(int Total, int Failed, string? Error)> RelayBatchAsync(
        MessagingOptions settings, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();

        return await strategy.ExecuteAsync(async ct =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(ct);

            // SKIP LOCKED: rows another replica is publishing right now are left to it, not waited on.
            // Only the table name (from the EF model) and an int option are spliced in; the ids are a parameter.
            var table = MessagingTables.Outbox(db);
            var lockSql = ids.Count > 0
                ? $"SELECT * FROM {table} WHERE id = ANY({{0}}) AND processed_at IS NULL ORDER BY created_at, id FOR UPDATE SKIP LOCKED"
                : $"SELECT * FROM {table} WHERE processed_at IS NULL ORDER BY created_at, id LIMIT {settings.RelayBatchSize} FOR UPDATE SKIP LOCKED";
            object[] parameters = ids.Count > 0 ? [ids.ToArray()] : [];
            var rows = await db.Set<OutboxMessage>().FromSqlRaw(lockSql, parameters).ToListAsync(ct);
            if (rows.Count == 0)
            {
                return (0, 0, null);
            }

            // One publish span per row, each a child of the trace that wrote it, never of one another.
            var ambient = Activity.Current;
            var activities = new Activity?[rows.Count];
            var messages = new OutgoingMessage[rows.Count];
            for (var i = 0; i < rows.Count; i++)
            {
                Activity.Current = null;
                (messages[i], activities[i]) = ToMessage(rows[i], settings.Exchange);
            }

            Activity.Current = ambient;

            var results = await publisher.PublishAsync(messages, ct);

            var now = time.GetUtcNow();
            var failed = 0;
            string? firstError = null;
            var published = new List<Guid>(rows.Count);
            for (var i = 0; i < rows.Count; i++)
            {
                var row = rows[i];
                var error = results[i];
                if (error is null)
                {
                    published.Add(row.Id);
                    MessagingTelemetry.Published.Add(1, new KeyValuePair<string, object?>("event", row.Type));
                }
                else
                {
                    failed++;
                    firstError ??= error.Message;
                    row.Attempts++;
                    row.LastError = Truncate($"{error.GetType().Name}: {error.Message}", 2000);
                    activities[i]?.SetStatus(ActivityStatusCode.Error, error.Message);
                    MessagingTelemetry.PublishFailed.Add(1, new KeyValuePair<string, object?>("event", row.Type));
                }

                activities[i]?.Dispose();
            }

            Activity.Current = ambient;

            // The published rows in one statement (not one UPDATE per row); failed ones keep their attempt and error.
            if (published.Count > 0)
            {
                await db.Set<OutboxMessage>().Where(m => published.Contains(m.Id)).ExecuteUpdateAsync(m => m.SetProperty(r => r.ProcessedAt, now), ct);
            }

            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return (rows.Count, failed, firstError);
        }, cancellationToken);
    }

    private static (OutgoingMessage, Activity?) ToMessage(OutboxMessage row, string exchange)
    {
        var activity = MessagingTelemetry.ActivitySource.StartActivity(
            $"{row.Type} publish", ActivityKind.Producer, TraceContext.Parse(row.TraceParent, null));
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", exchange);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", row.Type);
        activity?.SetTag("messaging.message.id", row.Id.ToString());

        var headers = new Dictionary<string, object?>();
        if (activity is not null)
        {
            TraceContext.Inject(activity, headers);
        }
        else if (row.TraceParent is not null)
        {
            // Nobody listens to our source, but the trace the event was written in still flows on.
            headers[MessageHeaders.TraceParent] = Encoding.UTF8.GetBytes(row.TraceParent);
        }

        var properties = new BasicProperties
        {
            MessageId = row.Id.ToString(),
            Type = row.Type,
            ContentType = "application/json",
            ContentEncoding = "utf-8",
            DeliveryMode = DeliveryModes.Persistent,
            Timestamp = new AmqpTimestamp(row.OccurredAt.ToUnixTimeSeconds()),
            Headers = headers,
        };

        // The activity ends when the confirm arrives, so its duration is the publish latency.
        return (new OutgoingMessage(exchange, row.Type, properties, Encoding.UTF8.GetBytes(row.Payload), Mandatory: false), activity);
    }

    private async Task DeletePublishedAsync(MessagingOptions settings, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TDbContext>();
        var cutoff = time.GetUtcNow() - settings.ProcessedOutboxRetention;
        var deleted = await db.Set<OutboxMessage>()
            .Where(m => m.ProcessedAt != null && m.ProcessedAt < cutoff)
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            logger.LogInformation("Deleted {Count} published outbox rows older than {Cutoff}", deleted, cutoff);
        }
    }

    private static TimeSpan NextBackoff(TimeSpan current, TimeSpan max) =>
        current == TimeSpan.Zero ? TimeSpan.FromMilliseconds(250) : TimeSpan.FromTicks(Math.Min(current.Ticks * 2, max.Ticks));

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}
