using System.Text;
using Ahod.Chat.Hubs;

namespace Ahod.Chat.Tests;

/// <summary>The two pure parts of the replicas' connection routing: which token a negotiate answer names, and a replica's own address.</summary>
public sealed class HubConnectionRoutingTests
{
    [Theory]
    [InlineData("""{"negotiateVersion":1,"connectionId":"id-1","connectionToken":"token-1","availableTransports":[]}""", "token-1")]
    [InlineData("""{"connectionId":"id-0","availableTransports":[]}""", "id-0")]
    [InlineData("""{"error":"Negotiate failed"}""", null)]
    [InlineData("""[1,2]""", null)]
    [InlineData("""not json""", null)]
    [InlineData("", null)]
    public void ConnectionToken_IsTheTokenOfProtocol1_OrTheIdOfProtocol0(string answer, string? token) =>
        HubConnectionRouter.ConnectionToken(Encoding.UTF8.GetBytes(answer)).ShouldBe(token);

    [Theory]
    [InlineData("http://localhost:41234", "http://localhost:41234")]
    [InlineData("http://127.0.0.1:5000/", "http://127.0.0.1:5000")]
    [InlineData("http://[::1]:5000", "http://[::1]:5000")]
    public void OwnAddress_IsTheFirstAddressListenedOn(string listening, string own) =>
        HubConnectionRouter.OwnAddress([listening, "http://localhost:1"]).ShouldBe(own);

    [Theory]
    [InlineData("http://+:8080")]
    [InlineData("http://*:8080")]
    [InlineData("http://0.0.0.0:8080")]
    [InlineData("http://[::]:8080")]
    public void OwnAddress_OfAWildcard_IsThisMachinesName(string listening) =>
        HubConnectionRouter.OwnAddress([listening]).ShouldBe($"http://{System.Net.Dns.GetHostName()}:8080");

    [Fact]
    public void OwnAddress_PrefersPlainHttp() =>
        HubConnectionRouter.OwnAddress(["https://localhost:7001", "http://localhost:7000"]).ShouldBe("http://localhost:7000");
}
