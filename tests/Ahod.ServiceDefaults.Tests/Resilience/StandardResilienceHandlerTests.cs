using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly.CircuitBreaker;
using Polly.RateLimiting;

namespace Ahod.ServiceDefaults.Tests.Resilience;

public sealed class StandardResilienceHandlerTests
{
    private const string Client = "downstream";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ClientHost CreateHost(Action<HttpStandardResilienceOptions>? configure = null) =>
        // A client's own pipeline replaces the default one (a second handler would retry the retries).
        // RemoveAllResilienceHandlers is the documented way and still marked experimental (EXTEXP0001).
#pragma warning disable EXTEXP0001
        ClientHost.Create(builder => builder.Services.AddHttpClient(Client).RemoveAllResilienceHandlers().AddStandardResilienceHandler(options =>
        {
            options.Retry.Delay = TimeSpan.FromMilliseconds(50);
            configure?.Invoke(options);
        }));
#pragma warning restore EXTEXP0001

    [Fact]
    public async Task Send_503ThenOk_RetriesUntilSuccess()
    {
        await using var downstream = await Downstream.RespondingAsync(503, 503, 200);
        using var host = CreateHost();

        using var response = await host.CreateClient(Client).GetAsync(downstream.WorkUri, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        downstream.HitCount.ShouldBe(3);
    }

    [Fact]
    public async Task Send_400_IsNotRetried()
    {
        await using var downstream = await Downstream.RespondingAsync(400);
        using var host = CreateHost();

        using var response = await host.CreateClient(Client).GetAsync(downstream.WorkUri, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        downstream.HitCount.ShouldBe(1);
    }

    [Fact]
    public async Task Send_AlwaysFailing_StopsAfterMaxRetryAttemptsAndReturnsLastResponse()
    {
        await using var downstream = await Downstream.RespondingAsync(500);
        using var host = CreateHost();

        using var response = await host.CreateClient(Client).GetAsync(downstream.WorkUri, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.InternalServerError);
        downstream.HitCount.ShouldBe(4);
    }

    [Fact]
    public async Task Send_503WithRetryAfter_WaitsAtLeastTheHeaderDelay()
    {
        await using var downstream = await Downstream.StartAsync((attempt, context) =>
        {
            if (attempt == 1)
            {
                context.Response.StatusCode = 503;
                context.Response.Headers.RetryAfter = "1";
            }

            return Task.CompletedTask;
        });
        using var host = CreateHost();

        using var response = await host.CreateClient(Client).GetAsync(downstream.WorkUri, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var hits = downstream.Hits;
        hits.Count.ShouldBe(2);
        Stopwatch.GetElapsedTime(hits[0].Timestamp, hits[1].Timestamp).ShouldBeGreaterThanOrEqualTo(TimeSpan.FromMilliseconds(990));
    }

    [Fact]
    public async Task Send_RepeatedFailures_OpensCircuitAndNextCallFailsFastWithoutHittingServer()
    {
        await using var downstream = await Downstream.RespondingAsync(500);
        using var host = CreateHost(options =>
        {
            options.CircuitBreaker.MinimumThroughput = 2;
            options.CircuitBreaker.FailureRatio = 0.5;
            options.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(30);
        });
        var client = host.CreateClient(Client);

        // Two failed attempts reach the throughput and open the circuit; the retry then meets the open circuit.
        await Should.ThrowAsync<BrokenCircuitException>(() => client.GetAsync(downstream.WorkUri, Ct));
        var hitsWhenOpened = downstream.HitCount;
        hitsWhenOpened.ShouldBe(2);

        var stopwatch = Stopwatch.StartNew();
        await Should.ThrowAsync<BrokenCircuitException>(() => client.GetAsync(downstream.WorkUri, Ct));

        downstream.HitCount.ShouldBe(hitsWhenOpened);
        stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Send_AttemptTimesOut_IsRetried()
    {
        await using var downstream = await Downstream.StartAsync(async (attempt, context) =>
        {
            if (attempt == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), context.RequestAborted);
            }
        });
        using var host = CreateHost(options => options.AttemptTimeout.Timeout = TimeSpan.FromMilliseconds(300));

        using var response = await host.CreateClient(Client).GetAsync(downstream.WorkUri, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        downstream.HitCount.ShouldBe(2);
    }

    [Fact]
    public async Task Send_JsonBody_IsSentWhole_OnEveryAttempt()
    {
        // Our callers post JsonContent, which serializes again per attempt; a forward-only StreamContent cannot be retried.
        await using var downstream = await Downstream.RespondingAsync(503, 200);
        using var host = CreateHost();

        using var response = await host.CreateClient(Client).PostAsJsonAsync(downstream.WorkUri, new { amount = 100 }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        downstream.Hits.Select(hit => hit.Body).ShouldBe(["""{"amount":100}""", """{"amount":100}"""]);
    }

    [Fact]
    public async Task PerClientOptions_OverrideDefaults_WithoutASecondHandler()
    {
        await using var downstream = await Downstream.RespondingAsync(503);
        using var host = CreateHost(options => options.Retry.MaxRetryAttempts = 1);

        using var response = await host.CreateClient(Client).GetAsync(downstream.WorkUri, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.ServiceUnavailable);
        downstream.HitCount.ShouldBe(2);
    }

    [Fact]
    public async Task UnnamedClient_GetsTheStandardPipelineFromDefaults()
    {
        await using var downstream = await Downstream.RespondingAsync(503, 200);
        // No AddHttpClient at all: the handler comes from AddServiceDefaults; only the delay is shortened.
        using var host = ClientHost.Create(builder => builder.Services.ConfigureAll<HttpStandardResilienceOptions>(
            options => options.Retry.Delay = TimeSpan.FromMilliseconds(50)));

        using var response = await host.CreateClient().GetAsync(downstream.WorkUri, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        downstream.HitCount.ShouldBe(2);
    }

    [Fact]
    public async Task Send_OverConcurrencyLimit_IsRejectedWithoutReachingServer()
    {
        var release = new TaskCompletionSource();
        await using var downstream = await Downstream.StartAsync((_, _) => release.Task);
        using var host = CreateHost(options => options.RateLimiter.DefaultRateLimiterOptions.PermitLimit = 1);
        var client = host.CreateClient(Client);

        var first = client.GetAsync(downstream.WorkUri, Ct);
        while (downstream.HitCount == 0)
        {
            await Task.Delay(10, Ct);
        }

        await Should.ThrowAsync<RateLimiterRejectedException>(() => client.GetAsync(downstream.WorkUri, Ct));
        release.SetResult();
        (await first).StatusCode.ShouldBe(HttpStatusCode.OK);
        downstream.HitCount.ShouldBe(1);
    }
}
