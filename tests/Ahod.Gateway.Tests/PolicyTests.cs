using Ahod.Gateway.Routing;
using Ahod.Gateway.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Ahod.Gateway.Tests;

/// <summary>The route table, the public-endpoint list and option validation, without a server.</summary>
public sealed class PolicyTests
{
    [Theory]
    [InlineData("/api/auth/signin", "auth")]
    [InlineData("/api/auth", "auth")]
    [InlineData("/API/Users/123", "users")]
    [InlineData("/.well-known/jwks.json", "jwks")]
    [InlineData("/api/communities/1/cycles", "communities")]
    [InlineData("/hubs/chat", "hubs")]
    [InlineData("/api/authx", null)]
    [InlineData("/internal/export", null)]
    [InlineData("/", null)]
    public void RouteTable_MatchesWholeSegmentsOnly(string path, string? route)
    {
        var table = new RouteTable(Options.Create(new GatewayOptions()));

        table.Match(path)?.Name.ShouldBe(route);
        if (route is null)
        {
            table.Match(path).ShouldBeNull();
        }
    }

    [Fact]
    public void RouteTable_PrefersTheLongestPrefix()
    {
        var options = new GatewayOptions();
        options.Routes["echo"] = new GatewayRouteOptions { Prefix = "/hubs/echo", Service = "probe", WebSockets = true };
        var table = new RouteTable(Options.Create(options));

        table.Match("/hubs/echo/x")!.Service.ShouldBe("probe");
        table.Match("/hubs/chat")!.Service.ShouldBe("chat");
    }

    [Theory]
    [InlineData("POST", "/api/auth/signup", false)]
    [InlineData("POST", "/api/auth/signin", false)]
    [InlineData("POST", "/api/auth/refresh", false)]
    [InlineData("POST", "/api/auth/verify-email", false)]
    [InlineData("POST", "/api/auth/signout", false)]
    [InlineData("GET", "/api/listings", false)]
    [InlineData("HEAD", "/api/listings/abc", false)]
    [InlineData("GET", "/api/listings/abc/reviews", false)]
    [InlineData("GET", "/.well-known/jwks.json", false)]
    [InlineData("GET", "/api/auth/me", true)]
    [InlineData("GET", "/api/auth/signin", true)]
    [InlineData("POST", "/api/listings", true)]
    [InlineData("POST", "/api/listings/abc/images", true)]
    [InlineData("GET", "/api/users/abc", true)]
    [InlineData("GET", "/api/payments/accounts", true)]
    public void OnlyTheListedCalls_GoWithoutAToken(string method, string path, bool requiresToken)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;

        PublicEndpoints.RequiresToken(context.Request).ShouldBe(requiresToken);
    }

    [Fact]
    public void DefaultOptions_AreValid()
    {
        new GatewayOptionsValidator().Validate(null, new GatewayOptions()).Succeeded.ShouldBeTrue();
    }

    [Theory]
    [InlineData("/internal/admin", "svc")]
    [InlineData("/internal", "svc")]
    [InlineData("api/no-slash", "svc")]
    [InlineData("/trailing/", "svc")]
    [InlineData("/api/auth", "svc")]
    [InlineData("/fine", "")]
    [InlineData("/fine", "real.host.example")]
    public void BadRoute_FailsValidation(string prefix, string service)
    {
        var options = new GatewayOptions();
        options.Routes["bad"] = new GatewayRouteOptions { Prefix = prefix, Service = service };

        new GatewayOptionsValidator().Validate(null, options).Failed.ShouldBeTrue();
    }

    [Fact]
    public void ZeroRateLimit_FailsValidation()
    {
        var options = new GatewayOptions();
        options.RateLimits.Auth.TokenLimit = 0;

        new GatewayOptionsValidator().Validate(null, options).Failed.ShouldBeTrue();
    }
}
