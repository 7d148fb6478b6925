namespace Ahod.Gateway.RateLimiting;

/// <summary>
/// The gateway's buckets. The credential buckets are per client address and per kind of call, sized for a campus or
/// an office behind one NAT address (hundreds of people signing in at the start of a class) while a flood from one
/// address is still cut off; guessing one account's password is Identity's per-account limit's job
/// (5 a minute per account and address, 30 a minute per account from all addresses).
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Every request, keyed by the client's address (the connection's, or a trusted proxy's X-Forwarded-For).</summary>
    public TokenBucketOptions PerIp { get; set; } = new() { TokenLimit = 200, TokensPerPeriod = 100, ReplenishmentPeriod = TimeSpan.FromSeconds(1) };

    /// <summary>Authenticated requests, keyed by the token's sub, so one account cannot hog the platform from many addresses.</summary>
    public TokenBucketOptions PerUser { get; set; } = new() { TokenLimit = 100, TokensPerPeriod = 50, ReplenishmentPeriod = TimeSpan.FromSeconds(1) };

    /// <summary>Sign-in per address: 100 at once, then one a second (3,600 an hour), against guessing across many accounts.</summary>
    public TokenBucketOptions SignIn { get; set; } = new() { TokenLimit = 100, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(1) };

    /// <summary>Sign-up per address: 60 at once, then 30 a minute, against mass account creation.</summary>
    public TokenBucketOptions SignUp { get; set; } = new() { TokenLimit = 60, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(2) };

    /// <summary>
    /// Refresh per address: every signed-in app refreshes every 15 minutes, so a busy NAT address refreshes often;
    /// the refresh cookie (256 random bits) cannot be guessed, so this only bounds load.
    /// </summary>
    public TokenBucketOptions Refresh { get; set; } = new() { TokenLimit = 600, TokensPerPeriod = 10, ReplenishmentPeriod = TimeSpan.FromSeconds(1) };

    /// <summary>Email verification per address: 60 at once, then 30 a minute.</summary>
    public TokenBucketOptions VerifyEmail { get; set; } = new() { TokenLimit = 60, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(2) };
}

public sealed class TokenBucketOptions
{
    public int TokenLimit { get; set; }

    public int TokensPerPeriod { get; set; }

    public TimeSpan ReplenishmentPeriod { get; set; }
}
