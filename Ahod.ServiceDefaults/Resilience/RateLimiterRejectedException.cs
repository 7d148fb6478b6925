namespace Ahod.ServiceDefaults;

/// <summary>Thrown when a client already has as many requests in flight as its limiter allows.</summary>
public sealed class RateLimiterRejectedException(TimeSpan? retryAfter = null)
    : Exception("The HTTP client's concurrency limit was reached; the request was not sent.")
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
