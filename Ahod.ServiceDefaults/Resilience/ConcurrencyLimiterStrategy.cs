using System.Threading.RateLimiting;
using Polly;

namespace Ahod.ServiceDefaults;

/// <summary>The rate-limiter step of the standard pipeline, on System.Threading.RateLimiting directly.</summary>
internal sealed class ConcurrencyLimiterStrategy(RateLimiter limiter) : ResilienceStrategy
{
    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback,
        ResilienceContext context,
        TState state)
    {
        RateLimitLease lease;
        try
        {
            lease = await limiter.AcquireAsync(1, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (OperationCanceledException ex)
        {
            return Outcome.FromException<TResult>(ex);
        }

        using (lease)
        {
            if (!lease.IsAcquired)
            {
                TimeSpan? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var value) ? value : null;
                return Outcome.FromException<TResult>(new RateLimiterRejectedException(retryAfter));
            }

            return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
        }
    }
}
