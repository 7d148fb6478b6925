using Ahod.Identity.Auth;
using Ahod.Identity.Data;
using Ahod.Identity.Gdpr;
using Ahod.Identity.Tokens;
using Ahod.Messaging;
using Ahod.Messaging.Outbox;
using Ahod.ServiceDefaults;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.Tokens;
using Npgsql;

namespace Ahod.Identity;

public static class IdentityExtensions
{
    public const string DatabaseName = "identitydb";
    public const string RedisName = "redis";
    public const string RabbitMqName = "rabbitmq";

    public static IHostApplicationBuilder AddIdentityService(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;

        builder.AddNpgsqlDataSource(DatabaseName);
        services.AddDbContext<IdentityDbContext>((sp, options) => IdentityDbContext.ApplyDefaults(options
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .AddOutboxSignal(sp)));
        // Redis only caches revocations (PostgreSQL decides): Identity must start and sign in while Redis is down.
        builder.AddRedisClient(RedisName, configureOptions: options => options.AbortOnConnectFail = false);
        builder.AddRabbitMQClient(RabbitMqName);
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
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<SignInRateLimiter>();
        services.AddSingleton<EmailVerification>();
        services.AddScoped<RefreshTokenService>();
        services.AddScoped<SessionIssuer>();
        // Other services' /internal endpoints take the AppHost-generated key (the gateway never routes /internal).
        services.AddHttpClient(GdprEndpoints.HttpClientName).AddInternalApiKey();

        services.AddIdentityAuthentication(builder.Configuration, keys);
        services.AddValidation();
        builder.AddOpenApiDefaults("Ahod Identity", "Accounts, sign-up and sign-in, sessions (access token + refresh cookie), profiles, " +
            "user search, roles, and GDPR export and erasure. Errors are RFC 9457 ProblemDetails; validation errors name each field in `errors`.");
        return builder;
    }

    /// <summary>
    /// Identity validates its own tokens with the keys in memory: the JWKS client of ServiceDefaults would
    /// call this very service over HTTP. The rules are those of ServiceDefaults (asymmetric only, 30 s skew).
    /// </summary>
    private static void AddIdentityAuthentication(this IServiceCollection services, IConfiguration configuration, SigningKeyStore keys)
    {
        var settings = configuration.GetSection(JwtSettings.SectionName).Get<JwtSettings>() ?? new JwtSettings();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = settings.Issuer,
                ValidAudience = settings.Audience,
                ValidAlgorithms = JwtSettings.AllowedAlgorithms,
                IssuerSigningKeys = keys.PublicKeys,
                ClockSkew = TimeSpan.FromSeconds(30),
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ValidateIssuer = true,
                ValidateAudience = true,
                ValidateLifetime = true,
                ValidateIssuerSigningKey = true,
                NameClaimType = "sub",
                RoleClaimType = "roles",
            };
        });
        services.AddAuthorization();
    }
}
