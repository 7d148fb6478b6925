using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ahod.ServiceDefaults.Tests.Problems;

public sealed class ProblemDetailsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<KestrelApp> StartServiceAsync(string environment = "Production") =>
        KestrelApp.StartAsync(
            app =>
            {
                app.MapDefaultEndpoints();
                app.MapGet("/boom", string () => throw new InvalidOperationException("secret internals"));
                app.MapGet("/too-large", string () => throw new BadHttpRequestException("Request body too large.", 413));
                app.MapGet("/bad-format", string () => throw new FormatException("not a number"));
                app.MapGet("/empty-409", () => Results.StatusCode(409));
            },
            builder => builder.AddServiceDefaults(),
            environment);

    private static async Task<JsonElement> ReadProblemAsync(HttpResponseMessage response)
    {
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task UnhandledException_Returns500ProblemWithoutStackTrace()
    {
        await using var service = await StartServiceAsync();

        using var response = await service.CreateClient().GetAsync("/boom", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        var problem = await ReadProblemAsync(response);
        problem.GetProperty("status").GetInt32().ShouldBe(500);
        problem.GetProperty("title").GetString().ShouldNotBeNullOrWhiteSpace();
        problem.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
        var raw = problem.GetRawText();
        raw.ShouldNotContain("secret internals");
        raw.ShouldNotContain("   at ");
    }

    [Fact]
    public async Task UnhandledException_InDevelopment_IncludesTheException()
    {
        await using var service = await StartServiceAsync("Development");

        using var response = await service.CreateClient().GetAsync("/boom", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        (await ReadProblemAsync(response)).GetProperty("exception").GetString()!.ShouldContain("secret internals");
    }

    [Fact]
    public async Task BadHttpRequestException_UsesItsStatusCode()
    {
        await using var service = await StartServiceAsync();

        using var response = await service.CreateClient().GetAsync("/too-large", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.RequestEntityTooLarge);
        (await ReadProblemAsync(response)).GetProperty("status").GetInt32().ShouldBe(413);
    }

    [Fact]
    public async Task FormatException_Returns400()
    {
        await using var service = await StartServiceAsync();

        using var response = await service.CreateClient().GetAsync("/bad-format", Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await ReadProblemAsync(response)).GetProperty("status").GetInt32().ShouldBe(400);
    }

    [Theory]
    [InlineData("/no-such-route", 404)]
    [InlineData("/empty-409", 409)]
    public async Task EmptyErrorResponse_GetsAProblemBody(string path, int status)
    {
        await using var service = await StartServiceAsync();

        using var response = await service.CreateClient().GetAsync(path, Ct);

        ((int)response.StatusCode).ShouldBe(status);
        var problem = await ReadProblemAsync(response);
        problem.GetProperty("status").GetInt32().ShouldBe(status);
        problem.GetProperty("traceId").GetString().ShouldNotBeNullOrWhiteSpace();
    }
}
