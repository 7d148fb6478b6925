using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Options;

namespace Ahod.Gateway.Proxy;

/// <summary>
/// The one connection pool the gateway forwards through. Not an IHttpClientFactory client on purpose:
/// the standard resilience handler would retry non-idempotent POSTs (a transfer sent twice), and the
/// gateway must pass cookies, redirects and compressed bodies through untouched.
/// </summary>
public sealed class ForwarderInvoker : IDisposable
{
    public ForwarderInvoker(IOptions<GatewayOptions> options)
    {
        Invoker = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseCookies = false,
            AllowAutoRedirect = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.Value.Proxy.ConnectTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            // The default propagator writes W3C traceparent/tracestate from the request's Activity.
            ActivityHeadersPropagator = DistributedContextPropagator.CreateDefaultPropagator(),
        }, disposeHandler: true);
    }

    public HttpMessageInvoker Invoker { get; }

    public void Dispose() => Invoker.Dispose();
}
