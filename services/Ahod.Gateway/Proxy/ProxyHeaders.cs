using System.Diagnostics;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Ahod.Gateway.Proxy;

/// <summary>Which headers cross the gateway, in each direction.</summary>
internal static class ProxyHeaders
{
    /// <summary>Headers that services trust because only the gateway may set them.</summary>
    public const string InternalPrefix = "X-Ahod-";

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        HeaderNames.Connection, HeaderNames.KeepAlive, HeaderNames.TransferEncoding, HeaderNames.TE,
        HeaderNames.Upgrade, HeaderNames.ProxyAuthenticate, HeaderNames.ProxyAuthorization, HeaderNames.Trailer,
        "Proxy-Connection",
    };

    /// <summary>Replaced by the handler from the gateway's own Activity (a child of the caller's span).</summary>
    private static readonly HashSet<string> TraceContext = new(StringComparer.OrdinalIgnoreCase)
    {
        "traceparent", "tracestate", "baggage", "Request-Id", "Correlation-Context",
    };

    public static bool IsHopByHop(string name) =>
        HopByHop.Contains(name) || name.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase);

    public static void CopyRequestHeaders(HttpContext context, HttpRequestMessage upstream)
    {
        var request = context.Request;
        var connectionTokens = request.Headers.Connection;
        var hasActivity = Activity.Current is not null;
        foreach (var (name, values) in request.Headers)
        {
            if (IsHopByHop(name) || IsListedIn(connectionTokens, name)
                || name.Equals(HeaderNames.Host, StringComparison.OrdinalIgnoreCase)
                || name.Equals(HeaderNames.Expect, StringComparison.OrdinalIgnoreCase)
                || name.StartsWith(InternalPrefix, StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase)
                || name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase)
                || (hasActivity && TraceContext.Contains(name))
                || name.StartsWith(':'))
            {
                continue;
            }

            // HTTP/2 clients may split cookies into several fields; HTTP/1.1 allows exactly one.
            var value = name.Equals(HeaderNames.Cookie, StringComparison.OrdinalIgnoreCase) && values.Count > 1
                ? new StringValues(string.Join("; ", values.ToArray()))
                : values;

            if (!upstream.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value))
            {
                upstream.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string?>)value);
            }
        }

        // The gateway is the edge: whatever a client claimed about forwarding was dropped above.
        var remote = context.Connection.RemoteIpAddress;
        if (remote is not null)
        {
            upstream.Headers.TryAddWithoutValidation("X-Forwarded-For", (remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote).ToString());
        }

        upstream.Headers.TryAddWithoutValidation("X-Forwarded-Proto", request.Scheme);
        if (request.Host.HasValue)
        {
            upstream.Headers.TryAddWithoutValidation("X-Forwarded-Host", request.Host.Value);
        }
    }

    public static void CopyResponseHeaders(HttpResponseMessage upstream, HttpResponse response)
    {
        var connectionTokens = upstream.Headers.TryGetValues(HeaderNames.Connection, out var tokens) ? new StringValues(tokens.ToArray()) : StringValues.Empty;
        Copy(upstream.Headers, response, connectionTokens);
        Copy(upstream.Content.Headers, response, connectionTokens);
    }

    private static void Copy(System.Net.Http.Headers.HttpHeaders headers, HttpResponse response, StringValues connectionTokens)
    {
        foreach (var (name, values) in headers.NonValidated)
        {
            // The gateway speaks for itself: its own Server (none) and security headers win.
            if (IsHopByHop(name) || IsListedIn(connectionTokens, name) || name.Equals(HeaderNames.Server, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            response.Headers[name] = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues(values.ToArray());
        }
    }

    private static bool IsListedIn(StringValues connection, string name)
    {
        foreach (var value in connection)
        {
            foreach (var token in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (token.Equals(name, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
