using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;

namespace Ahod.Hosting;

public static class EndpointExtensions
{
    /// <summary>
    /// The project's <c>http</c> endpoint without DCP's proxy in front: callers reach the project's own socket, one
    /// process hop less per request, and the project sees each client's own address (the gateway's per-address rate
    /// limits and X-Forwarded-For depend on it). On <paramref name="port"/> in development (none: the launch profile's
    /// port); on a free port DCP picks when ports are randomized (tests). The port stays when the project restarts.
    /// Not for a project with replicas: they share one endpoint, which only the proxy can spread.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDirectHttpEndpoint(this IResourceBuilder<ProjectResource> project, int? port = null) =>
        project.WithEndpoint("http", e =>
        {
            // Without a port of its own, the one of the project's launch profile (applicationUrl).
            var direct = project.ApplicationBuilder.DirectPort(port ?? e.Port);
            e.IsProxied = false;
            e.Port = direct;
            e.TargetPort = direct;
        });

    /// <summary>
    /// The port an endpoint without DCP's proxy listens on: <paramref name="port"/> in development, none when ports are
    /// randomized (tests: DCP picks a free one, so apps started side by side never collide).
    /// </summary>
    internal static int? DirectPort(this IDistributedApplicationBuilder builder, int? port) =>
        builder.Configuration.GetValue("DcpPublisher:RandomizePorts", false) ? null : port;
}
