using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Ahod.Hosting;

public static class EndpointExtensions
{
    /// <summary>
    /// The project's <c>http</c> endpoint without DCP's proxy in front, so the project sees each client's own address
    /// (the gateway's per-address rate limits and X-Forwarded-For depend on it). On <paramref name="port"/> in
    /// development; on a free port DCP picks when ports are randomized (tests).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDirectHttpEndpoint(this IResourceBuilder<ProjectResource> project, int port)
    {
        var randomize = project.ApplicationBuilder.Configuration.GetValue("DcpPublisher:RandomizePorts", false);
        return project.WithEndpoint("http", e =>
        {
            e.IsProxied = false;
            e.Port = randomize ? null : port;
            e.TargetPort = randomize ? null : port;
        });
    }
}
