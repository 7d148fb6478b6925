using Ahod.Gateway.Docs;
using Ahod.Gateway.ReverseProxy;
using Ahod.Gateway.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace Ahod.Gateway.Tests;

/// <summary>The proxy configuration built from Gateway:Routes, the public-endpoint list and option validation, without a server.</summary>
public sealed class PolicyTests
{
    [Fact]
    public void ProxyConfig_RoutesEachPrefixWholeToItsServicesCluster()
    {
        var options = new GatewayOptions();
        options.Routes["echo"] = new GatewayRouteOptions { Prefix = "/hubs/echo", Service = "Probe", WebSockets = true };

        var routes = GatewayProxyConfig.Routes(options).ToDictionary(r => r.RouteId);

        routes["auth"].Match.Path.ShouldBe("/api/auth/{**rest}");
        routes["auth"].ClusterId.ShouldBe("identity");
        routes["echo"].ClusterId.ShouldBe("probe");
        routes["echo"].Metadata![GatewayProxyConfig.WebSocketsKey].ShouldBe("true");
        routes["payments"].Metadata![GatewayProxyConfig.WebSocketsKey].ShouldBe("false");
        routes.Values.ShouldNotContain(r => r.Match.Path!.StartsWith("/internal", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void ProxyConfig_ServiceWithoutAnEndpoint_GetsAClusterWithoutDestinations()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:identity:http:0"] = "http://127.0.0.1:5001",
        }).Build();

        var clusters = GatewayProxyConfig.Clusters(new GatewayOptions(), configuration).ToDictionary(c => c.ClusterId);

        clusters["identity"].Destinations!.Values.Single().Address.ShouldBe("https+http://identity");
        clusters["payments"].Destinations.ShouldBeEmpty();
        clusters.Keys.ShouldBe(["chat", "identity", "marketplace", "payments", "savings"], ignoreOrder: true);
    }

    [Fact]
    public void Docs_ListRoutedServicesWithAnEndpointOnly_InRouteOrder()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["services:savings:http:0"] = "http://127.0.0.1:5003",
            ["services:identity:https:0"] = "https://127.0.0.1:5001",
            ["services:payments:http:0"] = "http://127.0.0.1:5002",
            // An endpoint without a route is not documented: the gateway cannot reach it for a client.
            ["services:probe:http:0"] = "http://127.0.0.1:5009",
        }).Build();

        DocsEndpoints.DeployedServices(new GatewayOptions(), configuration).ShouldBe(["identity", "payments", "savings"]);
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
        options.RateLimits.SignIn.TokenLimit = 0;

        new GatewayOptionsValidator().Validate(null, options).Failed.ShouldBeTrue();
    }
}
