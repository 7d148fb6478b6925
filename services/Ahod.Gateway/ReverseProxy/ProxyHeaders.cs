using Microsoft.Net.Http.Headers;
using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace Ahod.Gateway.ReverseProxy;

/// <summary>
/// What YARP does not do by default: client-sent headers that services would trust (X-Ahod-*, Forwarded, other
/// X-Forwarded-*) are dropped; YARP itself drops hop-by-hop headers and sets X-Forwarded-For/Proto/Host/Prefix.
/// The gateway speaks for itself: a service's Server header does not pass.
/// </summary>
internal static class ProxyHeaders
{
    /// <summary>Headers that services trust because only the gateway may set them.</summary>
    public const string InternalPrefix = "X-Ahod-";

    private static readonly HashSet<string> SetByProxy = new(StringComparer.OrdinalIgnoreCase)
    {
        "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host", "X-Forwarded-Prefix",
    };

    public static void Add(TransformBuilderContext transforms)
    {
        transforms.AddRequestTransform(context =>
        {
            var headers = context.ProxyRequest.Headers;
            foreach (var name in headers.Select(header => header.Key).Where(IsSpoofable).ToList())
            {
                headers.Remove(name);
            }

            return ValueTask.CompletedTask;
        });
        transforms.AddResponseTransform(context =>
        {
            context.HttpContext.Response.Headers.Remove(HeaderNames.Server);
            return ValueTask.CompletedTask;
        });
    }

    private static bool IsSpoofable(string name) =>
        name.StartsWith(InternalPrefix, StringComparison.OrdinalIgnoreCase)
        || name.Equals("Forwarded", StringComparison.OrdinalIgnoreCase)
        || (name.StartsWith("X-Forwarded-", StringComparison.OrdinalIgnoreCase) && !SetByProxy.Contains(name));
}
