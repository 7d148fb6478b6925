using Microsoft.Extensions.Configuration;

namespace Ahod.ServiceDefaults;

/// <summary>
/// Turns a logical address such as <c>http://identity/users</c> into a real one from configuration,
/// the way Aspire injects it: <c>services:identity:http:0</c> (environment <c>services__identity__http__0</c>).
/// <c>https+http://identity</c> prefers the https endpoint and falls back to http.
/// </summary>
public sealed class ServiceEndpointResolver(IConfiguration configuration)
{
    /// <summary>Returns the resolved URI; real hosts (dotted names, IPs, localhost) without an entry pass through.</summary>
    /// <exception cref="ServiceEndpointNotFoundException">A logical service name has no configured endpoint.</exception>
    public Uri Resolve(Uri uri) => Resolve(uri, configuration);

    public static Uri Resolve(Uri uri, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(configuration);
        if (!uri.IsAbsoluteUri || SchemesFor(uri.Scheme) is not { } schemes)
        {
            return uri;
        }

        var serviceName = uri.IdnHost;
        foreach (var scheme in schemes)
        {
            var configured = configuration[$"services:{serviceName}:{scheme}:0"] ?? configuration[$"services:{serviceName}:{scheme}"];
            if (!string.IsNullOrWhiteSpace(configured))
            {
                return Rebase(uri, ParseEndpoint(serviceName, scheme, configured));
            }
        }

        if (LooksLikeRealHost(uri))
        {
            // A combined scheme means nothing to a real server: use the preferred one.
            return schemes.Length > 1 || uri.Scheme != schemes[0]
                ? new UriBuilder(uri) { Scheme = schemes[0], Port = uri.IsDefaultPort ? -1 : uri.Port }.Uri
                : uri;
        }

        throw new ServiceEndpointNotFoundException(serviceName, schemes);
    }

    private static string[]? SchemesFor(string scheme) => scheme.ToLowerInvariant() switch
    {
        "http" => ["http"],
        "https" => ["https"],
        "https+http" => ["https", "http"],
        "http+https" => ["http", "https"],
        _ => null,
    };

    private static bool LooksLikeRealHost(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6
        || uri.Host.Contains('.', StringComparison.Ordinal)
        || uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase);

    private static Uri ParseEndpoint(string serviceName, string scheme, string configured) =>
        Uri.TryCreate(configured, UriKind.Absolute, out var endpoint)
            ? endpoint
            : throw new InvalidOperationException(
                $"services:{serviceName}:{scheme}:0 is '{configured}', which is not an absolute URL.");

    private static Uri Rebase(Uri uri, Uri endpoint)
    {
        // An endpoint may carry a base path (a service behind a path-based proxy); keep it in front.
        var basePath = endpoint.AbsolutePath.TrimEnd('/');
        return new UriBuilder(uri)
        {
            Scheme = endpoint.Scheme,
            Host = endpoint.Host,
            Port = endpoint.Port,
            Path = basePath + uri.AbsolutePath,
        }.Uri;
    }
}
