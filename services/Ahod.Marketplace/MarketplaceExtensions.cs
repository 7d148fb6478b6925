using Ahod.Marketplace.Clients;
using Ahod.Marketplace.Data;
using Ahod.Marketplace.Events;
using Ahod.Marketplace.Gdpr;
using Ahod.Marketplace.Images;
using Ahod.Marketplace.Listings;
using Ahod.Marketplace.Requests;
using Ahod.Marketplace.Reviews;
using Ahod.Messaging;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ahod.Marketplace;

public static class MarketplaceExtensions
{
    public const string DatabaseName = ResourceNames.MarketplaceDb;

    public static IHostApplicationBuilder AddMarketplace(this IHostApplicationBuilder builder)
    {
        builder.AddJwtBearerDefaults();
        // Requests and payments run explicit transactions with row locks, which a retrying execution strategy refuses.
        builder.AddNpgsqlDbContext<MarketplaceDbContext>(DatabaseName, settings =>
        {
            settings.DisableRetry = true;
            // Search plans depend on the words and filters searched for.
            settings.ConnectionString = NpgsqlHotPath.ConnectionString(settings.ConnectionString, StatementPlans.PerExecution);
        }, ConfigureDbContext);
        builder.AddRabbitMQConnection(ResourceNames.RabbitMq);

        builder.AddOpenApiDefaults("Ahod Marketplace", "Listings for goods, rentals, jobs and services (tutoring, housekeeping, senior care); " +
            "full-text search with filters and cursor paging; images; requests (buy, rent, apply, hire) with escrow through " +
            "the requester's wallet; reviews after completion. Browsing published listings needs no token.");

        var services = builder.Services;
        services.AddValidation();
        // Minor units and other numbers are JSON numbers: "100" is a 400 naming the field, as the contract says.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);
        services.AddSingleton(TimeProvider.System);
        services.AddOptions<MarketplaceOptions>().BindConfiguration(MarketplaceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.AddOutboxRelay<MarketplaceDbContext>();
        services.AddIntegrationEventHandler<PaymentHoldReleased, HoldReleasedHandler, MarketplaceDbContext>();
        services.AddIntegrationEventHandler<UserErased, UserErasedHandler, MarketplaceDbContext>();

        services.AddHttpClient<PaymentsClient>(http => http.BaseAddress = new Uri($"http://{ResourceNames.Payments}")).AddInternalApiKey();
        services.AddHttpClient<IdentityClient>(http => http.BaseAddress = new Uri($"http://{ResourceNames.Identity}")).AddInternalApiKey();
        services.AddScoped<EscrowService>();

        services.AddSingleton<IImageStore, DiskImageStore>();
        services.AddSingleton<ImageProcessor>();
        return builder;
    }

    /// <summary>As the service configures its DbContext; tests build theirs with the same options.</summary>
    public static void ConfigureDbContext(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    public static WebApplication MapMarketplaceEndpoints(this WebApplication app)
    {
        app.MapOpenApiDefaults();
        app.MapListingsEndpoints();
        app.MapImagesEndpoints();
        app.MapMediaEndpoints();
        app.MapRequestsEndpoints();
        app.MapReviewsEndpoints();
        app.MapGdprEndpoints();
        return app;
    }
}
