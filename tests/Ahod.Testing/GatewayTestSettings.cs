using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Ahod.Testing;

public static class GatewayTestSettings
{
    /// <summary>Tests create many users and fire thousands of requests from one address: lift the gateway's
    /// per-IP, per-user and auth buckets (the gateway's own tests keep production limits).</summary>
    public static IResourceBuilder<ProjectResource> LiftRateLimits(this IResourceBuilder<ProjectResource> gateway)
    {
        foreach (var bucket in new[] { "PerIp", "PerUser", "SignIn", "SignUp", "Refresh", "VerifyEmail" })
        {
            gateway.WithEnvironment($"Gateway__RateLimits__{bucket}__TokenLimit", "1000000")
                .WithEnvironment($"Gateway__RateLimits__{bucket}__TokensPerPeriod", "1000000");
        }

        return gateway;
    }
}
