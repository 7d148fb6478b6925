using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Ahod.ServiceDefaults.Tests;

/// <summary>A service's container with AddServiceDefaults applied, for calling downstreams through IHttpClientFactory.</summary>
internal sealed class ClientHost : IDisposable
{
    private readonly IHost _host;

    private ClientHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static ClientHost Create(
        Action<HostApplicationBuilder>? configure = null,
        IDictionary<string, string?>? configuration = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = "Production",
            ApplicationName = "Ahod.ServiceDefaults.Tests",
        });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        builder.AddServiceDefaults();
        configure?.Invoke(builder);
        return new ClientHost(builder.Build());
    }

    public HttpClient CreateClient(string name = "") =>
        Services.GetRequiredService<IHttpClientFactory>().CreateClient(name);

    public void Dispose() => _host.Dispose();
}
