using Ahod.Hosting;
using Ahod.ServiceDefaults;

var builder = DistributedApplication.CreateBuilder(args);

// Debian's servers as executables when run here (no container engine needed), Aspire's containers in the manifest.
var postgres = builder.AddPostgresServer(ResourceNames.Postgres, port: 15432);
var redis = builder.AddRedisServer(ResourceNames.Redis, port: 16379);
var rabbitmq = builder.AddRabbitMQServer(ResourceNames.RabbitMq, port: 16672);

// Service-to-service calls to /internal/* carry this key; the gateway never routes /internal.
var internalApiKey = builder.AddParameter("internal-api-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true, persist: true);

var identityDb = postgres.AddDatabase(ResourceNames.IdentityDb);
var identity = builder.AddProject<Projects.Ahod_Identity>(ResourceNames.Identity)
    .WithReference(identityDb).WaitFor(identityDb)
    .WithReference(redis).WithReference(rabbitmq)
    .WithEnvironment("InternalApi__Key", internalApiKey)
    .WithSigningKeys().WithMail()
    .WithDirectHttpEndpoint().WithHttpHealthCheck("/health").WithRestartOnCrash();

var paymentsDb = postgres.AddDatabase(ResourceNames.PaymentsDb);
var payments = builder.AddProject<Projects.Ahod_Payments>(ResourceNames.Payments)
    .WithReference(paymentsDb).WaitFor(paymentsDb)
    .WithReference(redis).WithReference(rabbitmq).WithReference(identity)
    .WithEnvironment("InternalApi__Key", internalApiKey)
    .WithDirectHttpEndpoint().WithHttpHealthCheck("/health").WithRestartOnCrash();

var savingsDb = postgres.AddDatabase(ResourceNames.SavingsDb);
var savings = builder.AddProject<Projects.Ahod_Savings>(ResourceNames.Savings)
    .WithReference(savingsDb).WaitFor(savingsDb)
    .WithReference(redis).WithReference(rabbitmq).WithReference(identity).WithReference(payments)
    .WithEnvironment("InternalApi__Key", internalApiKey)
    .WithMail()
    .WithDirectHttpEndpoint().WithHttpHealthCheck("/health").WithRestartOnCrash();

var marketplaceDb = postgres.AddDatabase(ResourceNames.MarketplaceDb);
var marketplace = builder.AddProject<Projects.Ahod_Marketplace>(ResourceNames.Marketplace)
    .WithReference(marketplaceDb).WaitFor(marketplaceDb)
    .WithReference(redis).WithReference(rabbitmq).WithReference(identity).WithReference(payments)
    .WithEnvironment("InternalApi__Key", internalApiKey)
    .WithMediaDirectory("Marketplace__MediaDirectory")
    .WithDirectHttpEndpoint().WithHttpHealthCheck("/health").WithRestartOnCrash();

// Two replicas: SignalR pushes cross between them over the Redis backplane (see services/Ahod.Chat/README.md).
var chatDb = postgres.AddDatabase(ResourceNames.ChatDb);
var chat = builder.AddProject<Projects.Ahod_Chat>(ResourceNames.Chat)
    .WithReference(chatDb).WaitFor(chatDb)
    .WithReference(redis).WaitFor(redis).WithReference(rabbitmq)
    .WithReference(identity).WithReference(payments)
    .WithEnvironment("InternalApi__Key", internalApiKey)
    .WithReplicas(2)
    .WithHttpHealthCheck("/health").WithRestartOnCrash();

// GDPR export (art. 15/20): Identity collects what every service holding user data has.
identity.WithReference(payments).WithReference(savings).WithReference(marketplace).WithReference(chat)
    .WithEnvironment("Gdpr__Services__0", ResourceNames.Payments).WithEnvironment("Gdpr__Services__1", ResourceNames.Savings)
    .WithEnvironment("Gdpr__Services__2", ResourceNames.Marketplace).WithEnvironment("Gdpr__Services__3", ResourceNames.Chat);

// The one public entry point (http://localhost:8080); a route whose service is not deployed answers 503.
// Every process that validates access tokens asks Redis whether their session was revoked (sign-out, reuse, erasure).
var gateway = builder.AddProject<Projects.Ahod_Gateway>(ResourceNames.Gateway)
    .WithReference(redis).WithReference(identity).WithReference(payments).WithReference(savings).WithReference(marketplace).WithReference(chat)
    .WithDirectHttpEndpoint(port: 8080).WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health").WithRestartOnCrash();

// The web app (web/): the gateway serves its build (npm run build) at /; people also get Vite's dev server on :5173
// with hot reload, proxying /api, /hubs and /media to the gateway. Tests (ephemeral) use the build through the gateway.
if (builder.ExecutionContext.IsRunMode)
{
    gateway.WithEnvironment("Gateway__WebRoot", Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "web", "dist")));
    if (!builder.IsEphemeral())
    {
        var web = builder.AddWebDevServer(ResourceNames.Web, Path.Combine(builder.AppHostDirectory, "..", "web"), port: 5173)
            .WithReference(gateway.GetEndpoint("http")).WaitFor(gateway);
        gateway.WithEnvironment("Gateway__WebOrigin", web.GetEndpoint("http"));
    }
}

// DCP starts each service's build output itself, not through `dotnet run` (faster start, less memory; Ahod.Hosting/README.md).
builder.RunProjectsFromBuildOutput();
builder.AddResourceWatch();
builder.Build().Run();
