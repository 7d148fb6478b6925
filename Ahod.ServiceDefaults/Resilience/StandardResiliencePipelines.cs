using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Polly;

namespace Ahod.ServiceDefaults;

/// <summary>
/// One pipeline per client name for the life of the app. IHttpClientFactory recycles handlers every
/// few minutes; the circuit breaker's state and the concurrency limit must survive that.
/// </summary>
internal sealed class StandardResiliencePipelines(IOptionsMonitor<HttpStandardResilienceOptions> options) : IDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Entry>> _pipelines = new(StringComparer.Ordinal);

    public ResiliencePipeline<HttpResponseMessage> Get(string clientName) =>
        _pipelines.GetOrAdd(clientName, name => new Lazy<Entry>(() => Create(name))).Value.Pipeline;

    public void Dispose()
    {
        foreach (var entry in _pipelines.Values.Where(lazy => lazy.IsValueCreated))
        {
            entry.Value.Limiter.Dispose();
        }
    }

    private Entry Create(string clientName)
    {
        var settings = options.Get(clientName);
        settings.Validate(clientName);

        var limiter = new ConcurrencyLimiter(settings.RateLimiter.DefaultRateLimiterOptions);
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { Name = $"{clientName}-standard" }
            .AddStrategy(_ => new ConcurrencyLimiterStrategy(limiter), new LimiterStrategyOptions())
            .AddTimeout(settings.TotalRequestTimeout)
            .AddRetry(settings.Retry)
            .AddCircuitBreaker(settings.CircuitBreaker)
            .AddTimeout(settings.AttemptTimeout)
            .Build();

        return new Entry(pipeline, limiter);
    }

    private sealed record Entry(ResiliencePipeline<HttpResponseMessage> Pipeline, RateLimiter Limiter);

    private sealed class LimiterStrategyOptions : ResilienceStrategyOptions
    {
        public LimiterStrategyOptions() => Name = "Standard-RateLimiter";
    }
}
