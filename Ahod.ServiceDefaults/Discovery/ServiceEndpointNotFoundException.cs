namespace Ahod.ServiceDefaults;

/// <summary>A logical service name was used but the AppHost (or environment) gave no endpoint for it.</summary>
public sealed class ServiceEndpointNotFoundException(string serviceName, IReadOnlyList<string> schemes)
    : InvalidOperationException(
        $"No endpoint is configured for service '{serviceName}'. Set " +
        string.Join(" or ", schemes.Select(scheme => $"services:{serviceName}:{scheme}:0 (environment services__{serviceName}__{scheme}__0)")) +
        ".")
{
    public string ServiceName { get; } = serviceName;
}
