using System.Diagnostics;
using System.Threading.Channels;
using Ahod.Messaging.Outbox;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Ahod.Payments.Ledger;

/// <summary>
/// Group commit: every ledger request of this process goes through one queue; a single loop takes whatever
/// has queued up (up to <see cref="PaymentsOptions.MaxBatchSize"/>) and applies it in ONE transaction, so a
/// burst of N concurrent transfers costs one commit instead of N. While a batch commits, the next one fills,
/// so batches grow with load and latency stays near one commit at low load. Each caller still gets its own
/// result; a rule failure fails only that request.
/// </summary>
internal sealed class LedgerBatcher(
    LedgerExecutor executor,
    IOutboxSignal outboxSignal,
    IOptions<PaymentsOptions> options,
    ILogger<LedgerBatcher> logger) : BackgroundService
{
    private const int MaxTransientRetries = 8;

    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues <paramref name="request"/>; completes once its batch has committed (or failed).</summary>
    /// <remarks>Not cancellable once queued: the outcome must be known to whoever retries with the same key.</remarks>
    public Task<LedgerResult> SubmitAsync(LedgerRequest request)
    {
        // The caller's trace context: the batch's span and the events this request causes join its trace.
        var parent = Activity.Current is { IdFormat: ActivityIdFormat.W3C } current ? current : null;
        var work = new Work(parent is null ? request : request with { TraceParent = parent.Id }, parent?.Context ?? default);
        if (!_queue.Writer.TryWrite(work))
        {
            throw new LedgerUnavailableException("The ledger is shutting down.");
        }

        return work.Completion.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var maxBatch = options.Value.MaxBatchSize;
        var batch = new List<Work>(maxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                while (batch.Count < maxBatch && _queue.Reader.TryRead(out var work))
                {
                    batch.Add(work);
                }

                await RunAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var work))
            {
                work.Completion.TrySetException(new LedgerUnavailableException("The ledger is shutting down."));
            }
        }
    }

    private async Task RunAsync(List<Work> batch, CancellationToken stoppingToken)
    {
        try
        {
            await CommitAsync(batch, stoppingToken);
        }
        catch (Exception ex) when (batch.Count > 1 && ex is not OperationCanceledException)
        {
            // Something in the batch broke the transaction (a bug or a constraint): run each request alone,
            // so only the culprit fails.
            logger.LogWarning(ex, "Ledger batch of {Count} failed; retrying its requests one by one", batch.Count);
            foreach (var work in batch)
            {
                try
                {
                    await CommitAsync([work], stoppingToken);
                }
                catch (Exception single) when (single is not OperationCanceledException)
                {
                    logger.LogError(single, "Ledger request {TransferId} failed", work.Request.TransferId);
                    work.Completion.TrySetException(new LedgerUnavailableException("The ledger could not apply the request.", single));
                }
            }
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Ledger batch failed");
            foreach (var work in batch)
            {
                work.Completion.TrySetException(new LedgerUnavailableException("The ledger could not apply the request.", ex));
            }
        }
    }

    private async Task CommitAsync(IReadOnlyList<Work> batch, CancellationToken stoppingToken)
    {
        var requests = batch.Select(w => w.Request).ToList();
        using var activity = LedgerMetrics.ActivitySource.StartActivity(
            "ledger batch", ActivityKind.Internal, batch[0].Parent,
            links: batch.Skip(1).Where(w => w.Parent != default).Select(w => new ActivityLink(w.Parent)));
        activity?.SetTag("ahod.ledger.batch_size", batch.Count);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var (results, eventIds) = await executor.ExecuteAsync(requests, stoppingToken);
                if (eventIds.Count > 0)
                {
                    outboxSignal.Notify(eventIds);
                }

                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }

                LedgerMetrics.RecordBatch(batch.Count);
                return;
            }
            catch (PostgresException ex) when (IsTransient(ex) && attempt < MaxTransientRetries)
            {
                // Deadlock, serialization failure, or a concurrent insert of the same transfer id by another
                // replica: the whole batch is re-read and re-decided, the retry sees the winner's rows.
                logger.LogDebug(ex, "Ledger batch attempt {Attempt} hit {SqlState}; retrying", attempt, ex.SqlState);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 5 * attempt)), stoppingToken);
            }
        }
    }

    private static bool IsTransient(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure
            or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.LockNotAvailable;

    private sealed class Work(LedgerRequest request, ActivityContext parent)
    {
        public LedgerRequest Request { get; } = request;

        public ActivityContext Parent { get; } = parent;

        public TaskCompletionSource<LedgerResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>The ledger could not decide (shutdown, database unreachable): the caller may retry with the same key.</summary>
public sealed class LedgerUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
