using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Ahod.Gateway.Security;
using Ahod.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Ahod.Gateway.RateLimiting;

public static class RateLimitingExtensions
{
    /// <summary>
    /// One chained global limiter: per address for everything, per user when a valid token came with the call, and a
    /// credential bucket per address and kind (sign-in, sign-up, refresh, verify-email) on those calls. A request needs a
    /// token from every bucket that applies to it.
    /// </summary>
    public static IServiceCollection AddGatewayRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<GatewayOptions>>((options, gateway) =>
        {
            var limits = gateway.Value.RateLimits;
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    IsExempt(context) ? RateLimitPartition.GetNoLimiter("exempt") : Bucket("ip:" + context.ClientKey(), limits.PerIp)),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    !IsExempt(context) && context.User.TryGetUserId(out var userId)
                        ? Bucket("user:" + userId.ToString("N"), limits.PerUser)
                        : RateLimitPartition.GetNoLimiter("anonymous")),
                PartitionedRateLimiter.Create<HttpContext, string>(context =>
                    PublicEndpoints.CredentialKindOf(context.Request) is { } kind
                        ? Bucket($"{kind}:{context.ClientKey()}", CredentialBucket(limits, kind))
                        : RateLimitPartition.GetNoLimiter("not-auth")));

            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await GatewayProblems.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests, "Too many requests",
                    $"Rate limit reached; retry in {seconds} s.");
            };
        });
        return services;
    }

    private static RateLimitPartition<string> Bucket(string key, TokenBucketOptions bucket) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = bucket.TokenLimit,
            TokensPerPeriod = bucket.TokensPerPeriod,
            ReplenishmentPeriod = bucket.ReplenishmentPeriod,
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    /// <summary>Probes and CORS preflights must never be starved by a flood.</summary>
    private static bool IsExempt(HttpContext context) =>
        HttpMethods.IsOptions(context.Request.Method)
        || context.Request.Path.Equals(HealthEndpoints.HealthPath, StringComparison.OrdinalIgnoreCase)
        || context.Request.Path.Equals(HealthEndpoints.AlivePath, StringComparison.OrdinalIgnoreCase);

    private static TokenBucketOptions CredentialBucket(RateLimitOptions limits, CredentialKind kind) => kind switch
    {
        CredentialKind.SignIn => limits.SignIn,
        CredentialKind.SignUp => limits.SignUp,
        CredentialKind.Refresh => limits.Refresh,
        _ => limits.VerifyEmail,
    };
}
