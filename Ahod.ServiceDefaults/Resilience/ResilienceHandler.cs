using Polly;

namespace Ahod.ServiceDefaults;

/// <summary>Runs each request through the client's standard pipeline; every attempt re-sends the same request.</summary>
internal sealed class ResilienceHandler(ResiliencePipeline<HttpResponseMessage> pipeline) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A request can be sent again below HttpClient, but a streamed body is consumed by the first
        // attempt; buffering it makes every attempt send the same bytes.
        if (request.Content is not null)
        {
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        return await pipeline.ExecuteAsync(
            static (state, token) => new ValueTask<HttpResponseMessage>(state.Handler.SendAttemptAsync(state.Request, token)),
            (Handler: this, Request: request),
            cancellationToken).ConfigureAwait(false);
    }

    private Task<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.SendAsync(request, cancellationToken);
}
