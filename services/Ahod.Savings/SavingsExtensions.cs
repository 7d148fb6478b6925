using Ahod.Messaging;
using Ahod.Messaging.Contracts;
using Ahod.Messaging.Outbox;
using Ahod.Savings.Communities;
using Ahod.Savings.Cycles;
using Ahod.Savings.Data;
using Ahod.Savings.Events;
using Ahod.Savings.Gdpr;
using Ahod.Savings.Ledger;
using Ahod.Savings.Loans;
using Ahod.Savings.Membership;
using Ahod.Savings.Payouts;
using Ahod.Savings.Pleas;
using Ahod.Savings.Scheduling;
using Ahod.ServiceDefaults;
using Ahod.ServiceDefaults.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Ahod.Savings;

public static class SavingsExtensions
{
    public const string DatabaseName = "savingsdb";

    public static IHostApplicationBuilder AddSavings(this IHostApplicationBuilder builder)
    {
        builder.AddJwtBearerDefaults();
        // Contributions, payouts and the scheduler run explicit transactions, which a retrying execution strategy refuses.
        builder.AddNpgsqlDbContext<SavingsDbContext>(DatabaseName, settings =>
        {
            settings.DisableRetry = true;
            settings.ConnectionString = NpgsqlHotPath.ConnectionString(settings.ConnectionString);
        }, ConfigureDbContext);
        builder.AddRabbitMQConnection("rabbitmq");

        var services = builder.Services;
        services.AddValidation();
        builder.AddOpenApiDefaults("Ahod Savings", "Savings communities (rotating savings groups): membership, contribution cycles paid " +
            "from wallets into the community pot, payouts, pleas and votes, and student-loan tracking. Money is " +
            "`{ \"amount\": <integer minor units>, \"currency\": \"USD\" }`; lists are cursor paged; errors are RFC 9457 ProblemDetails.");
        services.AddSingleton(TimeProvider.System);
        services.AddOutboxRelay<SavingsDbContext>();
        services.AddIntegrationEventHandler<UserErased, UserErasedHandler, SavingsDbContext>();

        services.AddHttpClient<PaymentsClient>(http => http.BaseAddress = new Uri("http://payments")).AddInternalApiKey();
        services.AddScoped<ContributionService>();
        services.AddScoped<PayoutService>();
        services.AddScoped<SchedulerLeaseStore>();

        builder.AddEmailSender(required: false);
        services.AddOptions<InviteEmailOptions>().BindConfiguration(EmailOptions.SectionName);
        services.AddSingleton<InviteEmailSender>();

        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SavingsScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<SavingsScheduler>());
        return builder;
    }

    /// <summary>As the service configures its DbContext; tests build theirs with the same options.</summary>
    public static void ConfigureDbContext(DbContextOptionsBuilder options) =>
        // The Initial migration is hand-written SQL without a model snapshot, so EF's snapshot check does not apply;
        // SchemaAssert proves instead that the migrations build exactly the model's schema.
        options.ConfigureWarnings(w => w.Ignore(RelationalEventId.PendingModelChangesWarning));

    public static WebApplication MapSavingsEndpoints(this WebApplication app)
    {
        app.MapOpenApiDefaults();
        app.MapCommunitiesEndpoints();
        app.MapMembershipEndpoints();
        app.MapCyclesEndpoints();
        app.MapPleasEndpoints();
        app.MapLoansEndpoints();
        app.MapGdprEndpoints();
        return app;
    }
}
