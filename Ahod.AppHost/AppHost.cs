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
            var redis = builder.AddRedis(ResourceNames.Redis, port: 16379);
            var rabbit = builder.AddRabbitMQ(ResourceNames.RabbitMq, port: 16672, distributionPort: 16673, epmdPort: 16674);

            // Services wait only for PostgreSQL (they migrate on start); RabbitMQ and Redis are reached lazily and
            // reported by each service's /health, so the services boot while RabbitMQ does (its 5-7 s are the floor).
            var identity = builder.AddProject("identity", "services/Ahod.Identity", port: 8101)
                .WithReference(postgres.AddDatabase("identitydb")).WithReference(redis).WithReference(rabbit)
                .WaitFor(postgres).WithHttpHealthCheck()
                .WithEnvironment("Jwt__KeyDirectory", Path.Combine(builder.Options.StateDirectory, "keys"))
                .WithEnvironment("Email__PickupDirectory", Path.Combine(builder.Options.StateDirectory, "mail"));

            var payments = builder.AddProject("payments", "services/Ahod.Payments", port: 8102)
                .WithReference(postgres.AddDatabase("paymentsdb")).WithReference(rabbit).WithReference(identity)
                .WaitFor(postgres).WithHttpHealthCheck();

            var savings = builder.AddProject("savings", "services/Ahod.Savings", port: 8103)
                .WithReference(postgres.AddDatabase("savingsdb")).WithReference(rabbit).WithReference(identity).WithReference(payments)
                .WaitFor(postgres).WithHttpHealthCheck()
                .WithEnvironment("Email__PickupDirectory", Path.Combine(builder.Options.StateDirectory, "mail"));

            // GDPR export (art. 15/20): Identity collects what every service holding user data has.
            identity.WithReference(payments).WithReference(savings)
                .WithEnvironment("Gdpr__Services__0", "payments").WithEnvironment("Gdpr__Services__1", "savings");

            // The one public entry point; a route whose service is not deployed answers 503.
            builder.AddProject("gateway", "services/Ahod.Gateway", port: 8080)
                .WithExternalHttpEndpoints().WithHttpHealthCheck()
                .WithReference(identity).WithReference(payments).WithReference(savings);
        }
    }
}
