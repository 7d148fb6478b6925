using Polly.Timeout;

namespace Ahod.ServiceDefaults;

/// <summary>
/// The five strategies of Aspire's standard resilience handler, outermost first, with its defaults.
/// Configured per client name; a per-client callback runs after the defaults and so overrides them.
/// </summary>
public sealed class HttpStandardResilienceOptions
{
    public HttpRateLimiterStrategyOptions RateLimiter { get; set; } = new();

    /// <summary>Bounds the whole call including every retry and its delay.</summary>
    public TimeoutStrategyOptions TotalRequestTimeout { get; set; } = new()
    {
        Name = "Standard-TotalRequestTimeout",
        Timeout = TimeSpan.FromSeconds(30),
    };

    public HttpRetryStrategyOptions Retry { get; set; } = new();

    public HttpCircuitBreakerStrategyOptions CircuitBreaker { get; set; } = new();

    /// <summary>Bounds one attempt; a timed-out attempt is retried.</summary>
    public TimeoutStrategyOptions AttemptTimeout { get; set; } = new()
    {
        Name = "Standard-AttemptTimeout",
        Timeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>The same consistency rules Aspire enforces, so a misconfigured client fails on first use, not in production.</summary>
    internal void Validate(string clientName)
    {
        if (AttemptTimeout.Timeout > TotalRequestTimeout.Timeout)
        {
            throw new InvalidOperationException(
                $"HTTP client '{clientName}': the attempt timeout ({AttemptTimeout.Timeout}) must not exceed the total request timeout ({TotalRequestTimeout.Timeout}).");
        }

        if (CircuitBreaker.SamplingDuration < AttemptTimeout.Timeout * 2)
        {
            throw new InvalidOperationException(
                $"HTTP client '{clientName}': the circuit breaker sampling duration ({CircuitBreaker.SamplingDuration}) must be at least twice the attempt timeout ({AttemptTimeout.Timeout}).");
        }
    }
}
