using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace Ahod.Hosting;

public static class WebDevServerExtensions
{
    /// <summary>
    /// The web app's Vite dev server (<c>npm run dev</c> in <paramref name="directory"/>) as an executable resource on
    /// <paramref name="port"/> (passed as <c>PORT</c>), healthy once it answers <c>/</c>. Aspire's JavaScript hosting
    /// package would do the same; it is not among the packages we can restore. <c>npm ci</c> (eng/install-prerequisites.sh)
    /// must have run first.
    /// </summary>
    public static IResourceBuilder<ExecutableResource> AddWebDevServer(
        this IDistributedApplicationBuilder builder, string name, string directory, int port) =>
        builder.AddExecutable(name, "npm", Path.GetFullPath(directory), "run", "dev")
            .WithHttpEndpoint(port: port, env: "PORT", isProxied: false)
            .WithExternalHttpEndpoints()
            .WithEnvironment("BROWSER", "none")
            .WithHttpHealthCheck("/");
}
