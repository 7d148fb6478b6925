namespace Ahod.ServiceDefaults;

/// <summary>Resolves logical service addresses on each attempt, so a retry picks up a changed endpoint.</summary>
internal sealed class ServiceDiscoveryHandler(ServiceEndpointResolver resolver) : DelegatingHandler
{
    private static readonly HttpRequestOptionsKey<Uri> LogicalUri = new("Ahod.ServiceDiscovery.LogicalUri");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            if (!request.Options.TryGetValue(LogicalUri, out var logical))
            {
                logical = uri;
                request.Options.Set(LogicalUri, logical);
            }

            request.RequestUri = resolver.Resolve(logical);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
