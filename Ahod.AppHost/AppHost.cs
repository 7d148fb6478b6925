using Ahod.AppHost;
using Ahod.AppHost.Model;
using Ahod.AppHost.Publish;
using Ahod.AppHost.Run;

var builder = DistributedApplicationBuilder.CreateBuilder(args);
AhodApp.Compose(builder);

if (ManifestPublisher.TryGetOutputPath(builder.Configuration, out var manifestPath))
{
    ManifestPublisher.Write(builder, manifestPath);
    Console.WriteLine($"Wrote the deployment manifest to {manifestPath}");
    return 0;
}

try
{
    await using var app = builder.Build();
    await app.RunAsync();
    return 0;
}
catch (AppHostException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 1;
}

namespace Ahod.AppHost
{
    /// <summary>The Ahod app model. Tests compose the same model with free ports and throwaway data.</summary>
    public static class AhodApp
    {
        public static void Compose(DistributedApplicationBuilder builder)
        {
            var postgres = builder.AddPostgres(ResourceNames.Postgres, port: 15432);
            builder.AddRedis(ResourceNames.Redis, port: 16379);
            builder.AddRabbitMQ(ResourceNames.RabbitMq, port: 16672, distributionPort: 16673, epmdPort: 16674);
            _ = postgres;
        }
    }
}
