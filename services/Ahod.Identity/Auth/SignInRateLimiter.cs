using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Ahod.Identity.Auth;

/// <summary>The <c>Identity:SignInRateLimit</c> section.</summary>
public sealed class SignInRateLimitOptions
{
    public int PermitLimit { get; set; } = 5;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Sign-in attempts per email and client IP (5 a minute by default), so guessing one account's password is
/// slow while other people behind the same NAT can still sign in. The key needs the body, which the
/// rate-limiting middleware cannot read, so the handler asks this limiter after binding. The gateway adds
/// per-IP buckets in front; limits here are per replica.
/// </summary>
public sealed class SignInRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public SignInRateLimiter(IOptions<SignInRateLimitOptions> options)
    {
        var settings = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.PermitLimit,
                Window = settings.Window,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }

    /// <summary>Null when the attempt may go ahead, otherwise the seconds the client should wait.</summary>
    public int? TryAcquire(string normalizedEmail, HttpContext context)
    {
        var key = $"{normalizedEmail}|{context.Connection.RemoteIpAddress}";
        using var lease = _limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
    }

    public static ProblemHttpResult Rejected(HttpContext context, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many sign-in attempts",
            detail: $"Too many sign-in attempts for this account from your network. Try again in {retryAfterSeconds} seconds.");
    }

    public void Dispose() => _limiter.Dispose();
}
