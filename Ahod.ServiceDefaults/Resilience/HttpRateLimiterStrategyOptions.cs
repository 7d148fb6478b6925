using System.Threading.RateLimiting;

namespace Ahod.ServiceDefaults;

/// <summary>Caps concurrent outgoing requests per client (Polly.RateLimiting is not available to us).</summary>
public sealed class HttpRateLimiterStrategyOptions
{
    public ConcurrencyLimiterOptions DefaultRateLimiterOptions { get; set; } = new()
    {
        PermitLimit = 1000,
        QueueLimit = 0,
    };
}
