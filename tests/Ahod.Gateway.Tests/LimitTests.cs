using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Ahod.Gateway.Tests;

public sealed class LimitTests(GatewayFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OneUserFlooding_FromManyAddresses_IsLimitedPerUser()
    {
        using var signUpClient = fixture.CreateClient();
        var user = await GatewayFixture.SignUpAsync(signUpClient, Ct);
        var clients = Enumerable.Range(0, 4).Select(_ => fixture.CreateClient()).ToList();
        try
        {
            // 4 addresses x 100 calls stays under each address's bucket (200) but not under one user's (100 + 50/s).
            var calls = clients.SelectMany(c => Enumerable.Range(0, 100).Select(async _ =>
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/ghost/accounts");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);
                using var response = await c.SendAsync(request, Ct);
                return response.StatusCode;
            }));
            var statuses = await Task.WhenAll(calls);

            statuses.ShouldContain(HttpStatusCode.TooManyRequests);
            statuses.ShouldContain(HttpStatusCode.ServiceUnavailable);
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task JsonBodyOverOneMegabyte_Returns413ProblemDetails()
    {
        using var client = fixture.CreateClient();
        // Expect: 100-continue is how a client learns of a 413 before sending the body; without it, the refused
        // body still in flight makes the gateway's close look like a broken pipe to the client.
        using var declaredRequest = new HttpRequestMessage(HttpMethod.Post, "/api/auth/signup") { Content = Json(new string('x', 1024 * 1024 + 10)) };
        declaredRequest.Headers.ExpectContinue = true;
        using var declared = await client.SendAsync(declaredRequest, Ct);
        // Just over the limit, so the whole body is in the socket buffers when the gateway answers.
        using var chunkedContent = new StreamContent(new MemoryStream(new byte[1024 * 1024 + 100]));
        chunkedContent.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var chunkedRequest = new HttpRequestMessage(HttpMethod.Post, "/echo-length") { Content = chunkedContent };
        chunkedRequest.Headers.TransferEncodingChunked = true;
        using var chunked = await client.SendAsync(chunkedRequest, Ct);

        foreach (var response in new[] { declared, chunked })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
            response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        }
    }

    [Fact]
    public async Task BodyUnderTheLimit_IsStreamedToTheServiceWhole()
    {
        using var client = fixture.CreateClient();
        using var content = new StreamContent(new MemoryStream(new byte[900_000]));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/echo-length") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe("900000");
    }

    [Fact]
    public async Task ListingImageUpload_MayExceedTheJsonLimit()
    {
        using var client = fixture.CreateClient();
        var user = await GatewayFixture.SignUpAsync(client, Ct);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/listings/{Guid.NewGuid()}/images")
        {
            Content = new ByteArrayContent(new byte[5 * 1024 * 1024]),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.AccessToken);

        using var response = await client.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldBe((5 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static StringContent Json(string filler) =>
        new($$"""{"email":"big@ahod.test","filler":"{{filler}}"}""", System.Text.Encoding.UTF8, "application/json");
}
