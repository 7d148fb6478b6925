using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ahod.ServiceDefaults;

public static class ServiceDiscoveryExtensions
{
    /// <summary>Registers <see cref="ServiceEndpointResolver"/> for code that needs addresses without an HttpClient.</summary>
    public static IServiceCollection AddServiceDiscovery(this IServiceCollection services)
    {
        services.TryAddSingleton<ServiceEndpointResolver>();
        return services;
    }

    /// <summary>Lets the client use <c>http://&lt;service&gt;</c>, <c>https://&lt;service&gt;</c> and <c>https+http://&lt;service&gt;</c>.</summary>
    public static IHttpClientBuilder AddServiceDiscovery(this IHttpClientBuilder builder)
    {
        builder.Services.AddServiceDiscovery();
        builder.AddHttpMessageHandler(services => new ServiceDiscoveryHandler(services.GetRequiredService<ServiceEndpointResolver>()));
        return builder;
    }
}
