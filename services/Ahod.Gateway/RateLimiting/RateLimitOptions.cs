namespace Ahod.Gateway.RateLimiting;

public sealed class RateLimitOptions
{
    /// <summary>Every request, keyed by the connection's address (never by X-Forwarded-For, which clients can write).</summary>
    public TokenBucketOptions PerIp { get; set; } = new() { TokenLimit = 200, TokensPerPeriod = 100, ReplenishmentPeriod = TimeSpan.FromSeconds(1) };

    /// <summary>Authenticated requests, keyed by the token's sub, so one account cannot hog the platform from many addresses.</summary>
    public TokenBucketOptions PerUser { get; set; } = new() { TokenLimit = 100, TokensPerPeriod = 50, ReplenishmentPeriod = TimeSpan.FromSeconds(1) };

    /// <summary>Sign-up, sign-in, refresh and verify-email per address: slows password guessing and mass sign-up.</summary>
    public TokenBucketOptions Auth { get; set; } = new() { TokenLimit = 10, TokensPerPeriod = 10, ReplenishmentPeriod = TimeSpan.FromMinutes(1) };
}

public sealed class TokenBucketOptions
{
    public int TokenLimit { get; set; }

    public int TokensPerPeriod { get; set; }

    public TimeSpan ReplenishmentPeriod { get; set; }
}
