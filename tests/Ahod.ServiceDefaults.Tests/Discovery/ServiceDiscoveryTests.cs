using System.Net;

namespace Ahod.ServiceDefaults.Tests.Discovery;

public sealed class ServiceDiscoveryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
}
