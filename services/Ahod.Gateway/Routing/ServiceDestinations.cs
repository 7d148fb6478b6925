namespace Ahod.Gateway.Routing;

/// <summary>
/// Turns a logical service and the request's path into the upstream URL, from the same
/// services:&lt;name&gt;:http:0 entries every Ahod service uses; null when the service is not configured
/// (not deployed yet, or left out of this environment).
/// </summary>
public sealed class ServiceDestinations(IConfiguration configuration)
{
    private static readonly UriCreationOptions Exact = new() { DangerousDisablePathAndQueryCanonicalization = true };

    public Uri? Resolve(string service, PathString path, QueryString query)
    {
        // https+http: the https endpoint when the service has one. Until the proxy moves to YARP's destination resolver.
        var configured = configuration[$"services:{service}:https:0"] ?? configuration[$"services:{service}:http:0"];
        if (!Uri.TryCreate(configured, UriKind.Absolute, out var endpoint))
        {
            return null;
        }

        // Built as a string so the client's escaping reaches the service byte for byte (no re-escaping, no dot-segment games).
        var target = endpoint.GetLeftPart(UriPartial.Authority) + endpoint.AbsolutePath.TrimEnd('/') + path.ToUriComponent() + query.ToUriComponent();
        return Uri.TryCreate(target, Exact, out var uri) ? uri : null;
    }

    public bool IsConfigured(string service) => Resolve(service, "/", QueryString.Empty) is not null;
}
