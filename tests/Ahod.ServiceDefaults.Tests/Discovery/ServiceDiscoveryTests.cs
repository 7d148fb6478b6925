using System.Net;
using Microsoft.Extensions.Configuration;

namespace Ahod.ServiceDefaults.Tests.Discovery;

public sealed class ServiceDiscoveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static IConfiguration Configuration(params (string Key, string Value)[] entries) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(entries.Select(entry => new KeyValuePair<string, string?>(entry.Key, entry.Value)))
            .Build();

    [Fact]
    public async Task HttpClient_LogicalHttpAddress_ReachesTheConfiguredEndpoint()
    {
        await using var identity = await Downstream.RespondingAsync(200);
        using var host = ClientHost.Create(configuration: new Dictionary<string, string?>
        {
            ["services:identity:http:0"] = identity.BaseAddress.ToString(),
        });

        using var response = await host.CreateClient().GetAsync("http://identity/work", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        identity.HitCount.ShouldBe(1);
    }

    [Fact]
    public async Task HttpClient_HttpsPlusHttpBaseAddress_FallsBackToHttpEndpoint()
    {
        await using var identity = await Downstream.RespondingAsync(200);
        using var host = ClientHost.Create(configuration: new Dictionary<string, string?>
        {
            ["services:identity:http:0"] = identity.BaseAddress.ToString(),
        });
        var client = host.CreateClient();
        client.BaseAddress = new Uri("https+http://identity");

        using var response = await client.GetAsync("/work", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        identity.HitCount.ShouldBe(1);
    }

    [Fact]
    public void Resolve_HttpsPlusHttp_PrefersHttps()
    {
        var configuration = Configuration(
            ("services:identity:http:0", "http://localhost:5001"),
            ("services:identity:https:0", "https://localhost:7001"));

        var resolved = ServiceEndpointResolver.Resolve(new Uri("https+http://identity/.well-known/jwks.json?x=1"), configuration);

        resolved.ShouldBe(new Uri("https://localhost:7001/.well-known/jwks.json?x=1"));
    }

    [Fact]
    public void Resolve_Http_UsesTheHttpEntryEvenWhenHttpsExists()
    {
        var configuration = Configuration(
            ("services:identity:http:0", "http://localhost:5001"),
            ("services:identity:https:0", "https://localhost:7001"));

        new ServiceEndpointResolver(configuration).Resolve(new Uri("http://identity/users/1"))
            .ShouldBe(new Uri("http://localhost:5001/users/1"));
    }

    [Fact]
    public void Resolve_EndpointWithBasePath_KeepsItInFront()
    {
        var configuration = Configuration(("services:identity:http:0", "http://10.0.0.5:8080/identity/"));

        ServiceEndpointResolver.Resolve(new Uri("http://identity/users"), configuration)
            .ShouldBe(new Uri("http://10.0.0.5:8080/identity/users"));
    }

    [Fact]
    public void Resolve_UnknownLogicalName_ThrowsNamingTheSetting()
    {
        var exception = Should.Throw<ServiceEndpointNotFoundException>(
            () => ServiceEndpointResolver.Resolve(new Uri("https+http://payments/wallets"), Configuration()));

        exception.ServiceName.ShouldBe("payments");
        exception.Message.ShouldContain("services__payments__https__0");
        exception.Message.ShouldContain("services__payments__http__0");
    }

    [Theory]
    [InlineData("http://example.com/a", "http://example.com/a")]
    [InlineData("http://127.0.0.1:8080/a", "http://127.0.0.1:8080/a")]
    [InlineData("http://localhost:8080/a", "http://localhost:8080/a")]
    [InlineData("https+http://api.example.com/a", "https://api.example.com/a")]
    public void Resolve_RealHostWithoutEntry_PassesThrough(string input, string expected)
    {
        ServiceEndpointResolver.Resolve(new Uri(input), Configuration()).ShouldBe(new Uri(expected));
    }
}
