using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Ahod.Gateway.Proxy;

/// <summary>Forwards one HTTP request to a service and streams its response back.</summary>
public sealed class HttpForwarder(ForwarderInvoker invoker, IOptions<GatewayOptions> options, ILogger<HttpForwarder> logger)
{
    private const int BufferSize = 64 * 1024;
    private readonly TimeSpan _timeout = options.Value.Proxy.Timeout;

    public async Task ForwardAsync(HttpContext context, Uri destination, string service)
    {
        var aborted = context.RequestAborted;
        using var upstream = CreateRequest(context, destination, out var body);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        timeout.CancelAfter(_timeout);

        HttpResponseMessage response;
        try
        {
            response = await invoker.Invoker.SendAsync(upstream, timeout.Token);
        }
        catch (Exception e) when (!aborted.IsCancellationRequested)
        {
            await WriteSendFailureAsync(context, e, body, service, timeout.IsCancellationRequested);
            return;
        }
        catch (Exception) when (aborted.IsCancellationRequested)
        {
            // The caller left; nobody reads whatever we would write.
            return;
        }

        using (response)
        {
            // The timeout covers the wait for headers; a long download or server-sent events may take as long as they need.
            timeout.CancelAfter(Timeout.InfiniteTimeSpan);
            context.Response.StatusCode = (int)response.StatusCode;
            ProxyHeaders.CopyResponseHeaders(response, context.Response);
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();

            try
            {
                await using var source = await response.Content.ReadAsStreamAsync(aborted);
                await CopyResponseAsync(source, context.Response.Body, aborted);
            }
            catch (Exception e) when (e is IOException or OperationCanceledException or HttpRequestException)
            {
                // Headers are gone already: the only honest signal left is a broken connection.
                if (!aborted.IsCancellationRequested)
                {
                    logger.LogWarning(e, "The response from {Service} broke off for {Path}", service, context.Request.Path);
                }

                context.Abort();
            }
        }
    }

    private static HttpRequestMessage CreateRequest(HttpContext context, Uri destination, out StreamingRequestContent? body)
    {
        var request = context.Request;
        var upstream = new HttpRequestMessage(new HttpMethod(request.Method), destination)
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };

        body = null;
        if (context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true)
        {
            body = new StreamingRequestContent(request.Body);
            upstream.Content = body;
        }

        ProxyHeaders.CopyRequestHeaders(context, upstream);
        return upstream;
    }

    private async Task WriteSendFailureAsync(HttpContext context, Exception e, StreamingRequestContent? body, string service, bool timedOut)
    {
        if (body?.ClientReadError is BadHttpRequestException bad)
        {
            // The client's body broke a limit (413) or was malformed: the client's fault, not the service's.
            await GatewayProblems.WriteAsync(context, bad.StatusCode,
                bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request body too large" : "Bad request", bad.Message);
            return;
        }

        if (timedOut)
        {
            logger.LogWarning("{Service} did not answer {Method} {Path} within {Timeout}", service, context.Request.Method, context.Request.Path, _timeout);
            await GatewayProblems.WriteAsync(context, StatusCodes.Status504GatewayTimeout, "Service timed out",
                $"The {service} service did not answer in time.");
            return;
        }

        var refused = e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } || e.InnerException is SocketException;
        logger.LogWarning(e, "Forwarding {Method} {Path} to {Service} failed", context.Request.Method, context.Request.Path, service);
        await GatewayProblems.WriteAsync(context, StatusCodes.Status502BadGateway, "Bad gateway",
            refused ? $"The {service} service is unreachable." : $"The {service} service failed to answer.");
    }

    private static async Task CopyResponseAsync(Stream source, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
