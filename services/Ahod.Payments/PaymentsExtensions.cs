using Ahod.Messaging;
using Ahod.Messaging.Contracts;
using Ahod.Payments.Accounts;
using Ahod.Payments.Data;
using Ahod.Payments.Events;
using Ahod.Payments.Idempotency;
using Ahod.Payments.Internal;
using Ahod.Payments.Ledger;
using Ahod.Payments.Providers;
using Ahod.Payments.Security;
using Ahod.Payments.Transfers;
using Ahod.ServiceDefaults;
using Ahod.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Ahod.Payments;

public static class PaymentsExtensions
{
    public const string DatabaseName = "paymentsdb";

    public static IHostApplicationBuilder AddPayments(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<PaymentsOptions>().BindConfiguration(PaymentsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddProblemDetails();
        services.AddValidation();
        builder.AddOpenApiDefaults("Ahod Payments", "Wallets, deposits, withdrawals, transfers between users and the ledger history. " +
            "Money is `{ \"amount\": <integer minor units>, \"currency\": \"USD\" }`; every POST that moves money takes an `Idempotency-Key` " +
            "header. A user's wallet never goes below zero: a refused transfer is a 422 ProblemDetails whose `code` names the rule " +
            "(e.g. `insufficient_funds`). Moving money needs a verified email (403 otherwise).");
        // Money amounts are JSON integers: "10" (a string) is as wrong as 10.5.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict);

        // The ledger and the outbox run explicit transactions, which a retrying execution strategy refuses.
        builder.AddNpgsqlDbContext<PaymentsDbContext>(DatabaseName, settings =>
        {
            settings.DisableRetry = true;
            settings.ConnectionString = NpgsqlHotPath.ConnectionString(settings.ConnectionString);
        }, ConfigureDbContext);
        builder.AddNpgsqlDataSource(DatabaseName, settings => settings.ConnectionString = NpgsqlHotPath.ConnectionString(settings.ConnectionString));
        var idempotency = NpgsqlHotPath.Builder(builder.Configuration.GetConnectionString(DatabaseName));
        idempotency.Options += " -c synchronous_commit=off";
        services.AddSingleton(sp => new IdempotencyDataSource(
            new NpgsqlDataSourceBuilder(idempotency.ConnectionString).UseLoggerFactory(sp.GetService<ILoggerFactory>()).Build()));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<LedgerExecutor>();
        services.AddSingleton<LedgerBatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<LedgerBatcher>());
        services.AddHostedService<LedgerMaintenance>();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<AccountDirectory>();
        services.AddSingleton<DestinationProtector>();
        services.AddSingleton<IPaymentProvider, SandboxProvider>();

        builder.AddRabbitMQConnection("rabbitmq");
        services.ConfigureMessaging(o => o.ServiceName ??= "payments");
        services.AddOutboxRelay<PaymentsDbContext>();
        services.AddIntegrationEventHandler<UserRegistered, UserRegisteredHandler, PaymentsDbContext>();
        services.AddIntegrationEventHandler<UserErased, UserErasedHandler, PaymentsDbContext>();
        return builder;
    }

    /// <summary>As the service configures its context; tests reuse it for the schema check.</summary>
    public static void ConfigureDbContext(DbContextOptionsBuilder options) =>
        // The Initial migration is hand-written, so there is no model snapshot to compare with (SchemaAssert checks instead).
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    public static WebApplication MapPaymentsEndpoints(this WebApplication app)
    {
        // Every answer here carries balances, transfers or payout details.
        app.MapOpenApiDefaults();
        var api = app.MapGroup("/api/payments").RequireAuthorization().WithNoStore().WithTags("Payments");
        api.MapAccountsEndpoints();
        api.MapMoneyEndpoints();
        api.MapHistoryEndpoints();

        app.MapGroup("/internal").RequireInternalApiKey().MapInternalEndpoints();
        return app;
    }
}
