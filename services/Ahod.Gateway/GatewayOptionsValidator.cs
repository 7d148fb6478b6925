using Ahod.Gateway.RateLimiting;
using Ahod.Gateway.ReverseProxy;
using Ahod.Gateway.Security;
using Microsoft.Extensions.Options;

namespace Ahod.Gateway;

/// <summary>A gateway with a broken route table or a zero limit must fail at start, not on the first request.</summary>
internal sealed class GatewayOptionsValidator : IValidateOptions<GatewayOptions>
{
    public ValidateOptionsResult Validate(string? name, GatewayOptions options)
    {
        var errors = new List<string>();
        if (!Uri.TryCreate(options.WebOrigin, UriKind.Absolute, out var origin) || origin.AbsolutePath != "/")
        {
            errors.Add($"Gateway:WebOrigin '{options.WebOrigin}' must be an absolute origin such as http://localhost:5173.");
        }

        if (options.Routes.Count == 0)
        {
            errors.Add("Gateway:Routes is empty; the gateway would route nothing.");
        }

        foreach (var (routeName, route) in options.Routes)
        {
            if (string.IsNullOrWhiteSpace(route.Prefix) || !route.Prefix.StartsWith('/') || route.Prefix.Length < 2 || route.Prefix.EndsWith('/'))
            {
                errors.Add($"Gateway:Routes:{routeName}:Prefix '{route.Prefix}' must start with '/' and not end with one.");
            }
            else if (PublicEndpoints.IsUnder(route.Prefix, GatewayProxyConfig.InternalPrefix))
            {
                errors.Add($"Gateway:Routes:{routeName}:Prefix '{route.Prefix}' is under /internal, which is never routed.");
            }

            if (string.IsNullOrWhiteSpace(route.Service) || route.Service.Contains('.', StringComparison.Ordinal) || route.Service.Contains('/', StringComparison.Ordinal))
            {
                errors.Add($"Gateway:Routes:{routeName}:Service '{route.Service}' must be a logical service name (services:<name>:http:0).");
            }
        }

        var duplicates = options.Routes.GroupBy(r => r.Value.Prefix, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1);
        errors.AddRange(duplicates.Select(g => $"Gateway:Routes: prefix '{g.Key}' is claimed by {string.Join(", ", g.Select(r => r.Key))}."));

        Check(errors, "PerIp", options.RateLimits.PerIp);
        Check(errors, "PerUser", options.RateLimits.PerUser);
        Check(errors, "SignIn", options.RateLimits.SignIn);
        Check(errors, "SignUp", options.RateLimits.SignUp);
        Check(errors, "Refresh", options.RateLimits.Refresh);
        Check(errors, "VerifyEmail", options.RateLimits.VerifyEmail);

        if (options.BodyLimits.DefaultBytes <= 0 || options.BodyLimits.UploadBytes < options.BodyLimits.DefaultBytes)
        {
            errors.Add("Gateway:BodyLimits: DefaultBytes must be positive and UploadBytes at least DefaultBytes.");
        }

        if (options.RequestLimits.MaxUriBytes <= 0 || options.RequestLimits.MaxHeaderBytes <= 0 || options.RequestLimits.MaxHeaderCount <= 0)
        {
            errors.Add("Gateway:RequestLimits: MaxUriBytes, MaxHeaderBytes and MaxHeaderCount must be positive.");
        }

        if (options.Proxy.Timeout <= TimeSpan.Zero)
        {
            errors.Add("Gateway:Proxy:Timeout must be positive.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Check(List<string> errors, string name, TokenBucketOptions bucket)
    {
        if (bucket.TokenLimit <= 0 || bucket.TokensPerPeriod <= 0 || bucket.ReplenishmentPeriod <= TimeSpan.Zero)
        {
            errors.Add($"Gateway:RateLimits:{name}: TokenLimit, TokensPerPeriod and ReplenishmentPeriod must be positive.");
        }
    }
}
