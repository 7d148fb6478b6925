using System.Net.Http.Headers;
using Polly;
using Polly.Retry;

namespace Ahod.ServiceDefaults;

/// <summary>Retries transient failures with exponential backoff and jitter, honouring Retry-After.</summary>
public sealed class HttpRetryStrategyOptions : RetryStrategyOptions<HttpResponseMessage>
{
    public HttpRetryStrategyOptions()
    {
        Name = "Standard-Retry";
        MaxRetryAttempts = 3;
        BackoffType = DelayBackoffType.Exponential;
        UseJitter = true;
        Delay = TimeSpan.FromSeconds(2);
        ShouldHandle = args => ValueTask.FromResult(HttpResiliencePredicates.IsTransient(args.Outcome));
        DelayGenerator = args => ValueTask.FromResult(ShouldRetryAfterHeader ? RetryAfterDelay(args.Outcome.Result) : null);
    }

    /// <summary>When the server says how long to wait (429/503 with Retry-After), wait that long instead of the backoff.</summary>
    public bool ShouldRetryAfterHeader { get; set; } = true;

    /// <summary>Used to turn an HTTP-date Retry-After into a delay; replaceable for tests.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    private TimeSpan? RetryAfterDelay(HttpResponseMessage? response) =>
        response?.Headers.RetryAfter is { } retryAfter ? FromHeader(retryAfter, TimeProvider.GetUtcNow()) : null;

    internal static TimeSpan? FromHeader(RetryConditionHeaderValue retryAfter, DateTimeOffset now)
    {
        if (retryAfter.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter.Date is { } date)
        {
            var delay = date - now;
            return delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }

        return null;
    }
}
