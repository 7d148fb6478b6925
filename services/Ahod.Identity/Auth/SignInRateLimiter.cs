using System.Globalization;
using System.Threading.RateLimiting;
using Ahod.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Ahod.Identity.Auth;

/// <summary>The <c>Identity:SignInRateLimit</c> section.</summary>
public sealed class SignInRateLimitOptions
{
    /// <summary>Attempts per account and client address in <see cref="Window"/>: guessing one password from one network is slow.</summary>
    public int PermitLimit { get; set; } = 5;

    /// <summary>
    /// Attempts per account from all addresses together in <see cref="Window"/>: a distributed guess is bounded too. It
    /// is well above what one address may use (<see cref="PermitLimit"/>), so one address cannot lock others out.
    /// </summary>
    public int AccountPermitLimit { get; set; } = 30;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>
/// Sign-in attempts per account and client address (5 a minute), then per account across addresses (30 a minute).
/// The client address is the one the gateway passes on in X-Forwarded-For (see <see cref="ClientAddresses"/>), so a
/// flood from one network locks that network out of the account while the owner still signs in from elsewhere. An
/// attempt refused per address does not count against the account. The key needs the body, which the
/// rate-limiting middleware cannot read, so the handler asks this limiter after binding; limits are per replica.
/// </summary>
public sealed class SignInRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perAccount;

    public SignInRateLimiter(IOptions<SignInRateLimitOptions> options)
    {
        var settings = options.Value;
        _perAddress = Create(settings.PermitLimit, settings.Window);
        _perAccount = Create(settings.AccountPermitLimit, settings.Window);
    }

    /// <summary>Null when the attempt may go ahead, otherwise the refusal (with Retry-After set).</summary>
    public ProblemHttpResult? TryAcquire(string normalizedEmail, HttpContext context)
    {
        if (Refused(_perAddress, $"{normalizedEmail}|{context.ClientKey()}") is { } fromHere)
        {
            return Rejected(context, fromHere, "Too many sign-in attempts for this account from your network.");
        }

        return Refused(_perAccount, normalizedEmail) is { } fromEverywhere
            ? Rejected(context, fromEverywhere, "Too many sign-in attempts for this account.")
            : null;
    }

    public void Dispose()
    {
        _perAddress.Dispose();
        _perAccount.Dispose();
    }

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ =>
            new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0, AutoReplenishment = true }));

    /// <summary>Null when a permit was taken, otherwise the seconds to wait.</summary>
    private static int? Refused(PartitionedRateLimiter<string> limiter, string key)
    {
        using var lease = limiter.AttemptAcquire(key);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
    }

    private static ProblemHttpResult Rejected(HttpContext context, int retryAfterSeconds, string why)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return TypedResults.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many sign-in attempts",
            detail: $"{why} Try again in {retryAfterSeconds} seconds.");
    }
}
