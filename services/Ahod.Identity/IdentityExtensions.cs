using Ahod.Identity.Auth;
using Ahod.Identity.Data;
using Ahod.Identity.Gdpr;
using Ahod.Identity.Tokens;
using Ahod.Messaging;
using Ahod.Messaging.Outbox;
using Ahod.ServiceDefaults;
using Ahod.ServiceDefaults.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Ahod.Identity;

public static class IdentityExtensions
{
    public const string DatabaseName = "identitydb";
    public const string RabbitMqName = "rabbitmq";

    public static IHostApplicationBuilder AddIdentityService(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        builder.AddNpgsqlDataSource(DatabaseName, settings => settings.ConnectionString = NpgsqlHotPath.ConnectionString(settings.ConnectionString));
        // The options are built once (singleton), not for every request's context.
        services.AddDbContext<IdentityDbContext>((sp, options) => IdentityDbContext.ApplyDefaults(options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .AddOutboxSignal(sp)), optionsLifetime: ServiceLifetime.Singleton);
        builder.AddRabbitMQConnection(RabbitMqName);
        services.AddOutboxRelay<IdentityDbContext>();

        services.AddOptions<JwtSettings>().BindConfiguration(JwtSettings.SectionName);
        services.AddOptions<IdentityServiceOptions>().BindConfiguration(IdentityServiceOptions.SectionName);
        services.AddOptions<GdprOptions>().BindConfiguration(GdprOptions.SectionName);
        services.AddOptions<SignInRateLimitOptions>().BindConfiguration($"{IdentityServiceOptions.SectionName}:SignInRateLimit");
        builder.AddEmailSender(required: true);
        services.AddOptions<VerificationEmailOptions>().BindConfiguration(EmailOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        // Loaded (or generated) now, so a missing key stops start-up rather than the first sign-in.
        var keys = SigningKeyStore.Load(builder.Configuration, builder.Environment);
        services.AddSingleton(keys);
        services.AddSingleton<AccessTokenIssuer>();
        services.AddOptions<PasswordHasherOptions>().BindConfiguration($"{IdentityServiceOptions.SectionName}:PasswordHasher")
            .Validate(o => o.IterationCount >= 1, "Identity:PasswordHasher:IterationCount must be at least 1.").ValidateOnStart();
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<SignInRateLimiter>();
        services.AddSingleton<EmailVerification>();
        services.AddScoped<RefreshTokenService>();
        services.AddScoped<SessionIssuer>();
        // Other services' /internal endpoints take the AppHost-generated key (the gateway never routes /internal).
        services.AddHttpClient(GdprEndpoints.HttpClientName).AddInternalApiKey();

        // Identity validates its own tokens with the keys in memory (the JWKS client would call this very service over
        // HTTP), otherwise by the rules every service uses, session revocation included. Redis (the revoked sessions,
        // a cache: PostgreSQL decides on refresh) comes with it; Identity starts and signs in while Redis is down.
        services.AddSingleton<ISigningKeys>(new LocalSigningKeys(keys.PublicKeys));
        builder.AddJwtBearerDefaults();
        services.AddHostedService<RevocationResync>();
        services.AddValidation();
        builder.AddOpenApiDefaults("Ahod Identity", "Accounts, sign-up and sign-in, sessions (access token + refresh cookie), profiles, " +
            "user search, roles, and GDPR export and erasure. Errors are RFC 9457 ProblemDetails; validation errors name each field in `errors`.");
        return builder;
    }
}
