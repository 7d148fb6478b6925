using Polly.CircuitBreaker;

namespace Ahod.ServiceDefaults;

/// <summary>Stops calling a dependency that keeps failing, so it can recover and callers fail fast.</summary>
public sealed class HttpCircuitBreakerStrategyOptions : CircuitBreakerStrategyOptions<HttpResponseMessage>
{
    public HttpCircuitBreakerStrategyOptions()
    {
        Name = "Standard-CircuitBreaker";
        FailureRatio = 0.1;
        SamplingDuration = TimeSpan.FromSeconds(30);
        MinimumThroughput = 100;
        BreakDuration = TimeSpan.FromSeconds(5);
        ShouldHandle = args => ValueTask.FromResult(HttpResiliencePredicates.IsTransient(args.Outcome));
    }
}
