using System.Net;
using System.Text.Json.Nodes;

namespace Ahod.Web.Tests;

/// <summary>
/// The OpenAPI documents the web app's types are generated from, fetched through the gateway like any client. With
/// AHOD_OPENAPI_OUT set (web/scripts/update-api-types.sh), each served document is saved there for openapi-typescript.
/// </summary>
public sealed class ApiDocumentsTests(WebAppFixture fixture)
{
    private static readonly string[] Services = ["identity", "payments", "savings", "marketplace", "chat"];

    [Fact]
    public async Task ApiDocuments_ServedThroughTheGateway_AreOpenApiAndSavedForTypeGeneration()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = new HttpClient { BaseAddress = fixture.Gateway };
        var output = Environment.GetEnvironmentVariable("AHOD_OPENAPI_OUT");
        var served = new List<string>();
        foreach (var service in Services)
        {
            using var response = await client.GetAsync(new Uri($"/openapi/{service}/v1.json", UriKind.Relative), ct);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                TestContext.Current.SendDiagnosticMessage($"{service}: no OpenAPI document ({(int)response.StatusCode})");
                continue;
            }

            var text = await response.Content.ReadAsStringAsync(ct);
            var document = JsonNode.Parse(text)!.AsObject();
            document["openapi"]!.GetValue<string>().ShouldStartWith("3.");
            document["paths"]!.AsObject().Count.ShouldBeGreaterThan(0);
            served.Add(service);
            if (!string.IsNullOrEmpty(output))
            {
                // The server URL is whichever port this run got; the web app calls its own origin.
                document.Remove("servers");
                Directory.CreateDirectory(output);
                await File.WriteAllTextAsync(Path.Combine(output, service + ".json"), document.ToJsonString(new() { WriteIndented = true }) + "\n", ct);
            }
        }

        // The web app's generated types start from Identity's document; the others join as their services serve one.
        served.ShouldContain("identity");
        TestContext.Current.SendDiagnosticMessage("OpenAPI documents served: " + string.Join(", ", served));
    }
}
