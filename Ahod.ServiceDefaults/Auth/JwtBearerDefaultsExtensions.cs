using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;
using StackExchange.Redis;

namespace Ahod.ServiceDefaults;

public static class JwtBearerDefaultsExtensions
{
    /// <summary>The named HttpClient that fetches the JWKS; it gets discovery and resilience like any other.</summary>
    public const string JwksHttpClientName = "Ahod.Jwks";

    /// <summary>
    /// The one way Ahod validates Identity's access tokens (the gateway, every service, Identity itself): issuer,
    /// audience, lifetime (30 s skew), asymmetric signature against the cached JWKS (or the keys registered as
    /// <see cref="ISigningKeys"/> first), and a session (<c>sid</c>) that has not ended (<see cref="SessionRevocation"/>,
    /// which needs the <c>redis</c> connection string). Claims keep their JWT names ("sub", "roles"). Registers the
    /// <see cref="EmailVerified"/> policy.
    /// </summary>
    public static IHostApplicationBuilder AddJwtBearerDefaults(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(JwtSettings.SectionName).Get<JwtSettings>() ?? new JwtSettings();

        builder.Services.AddHttpClient(JwksHttpClientName);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddAuthorization(EmailVerified.AddPolicy);
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, EmailVerified.ProblemResultHandler>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<ISigningKeys>(services => new JwksCache(
            services.GetRequiredService<IHttpClientFactory>(),
            settings.JwksUrl,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<JwksCache>>()));
        builder.AddRevocationStore();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<ISigningKeys, SessionRevocation>((options, keys, revocation) => Configure(options, settings, keys, revocation));

        return builder;
    }

    /// <summary>Redis for session revocations (a service that uses Redis otherwise shares this one connection).</summary>
    private static void AddRevocationStore(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(SessionRevocation)))
        {
            return;
        }

        if (!builder.Services.Any(s => s.ServiceType == typeof(IConnectionMultiplexer)))
        {
            // Do not wait for Redis at start: a service must start (and fail open, see SessionRevocation) while it is down.
            builder.AddRedisClient(ResourceNames.Redis, configureOptions: options => options.AbortOnConnectFail = false);
        }

        builder.Services.AddSingleton<SessionRevocation>();
        builder.Services.AddHostedService<SessionRevocationListener>();
    }

    private static void Configure(JwtBearerOptions options, JwtSettings settings, ISigningKeys keys, SessionRevocation revocation)
    {
        options.MapInboundClaims = false;
        options.Audience = settings.Audience;
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(new JwksTokenHandler(keys));
        options.Events = new JwtBearerEvents
        {
            // After the signature and lifetime (cached per token): the session is asked on every request.
            OnTokenValidated = async context =>
            {
                if (!Guid.TryParse(context.Principal?.FindFirst(SessionRevocation.SessionClaim)?.Value, out var session))
                {
                    context.Fail("The access token names no session.");
                }
                else if (await revocation.IsRevokedAsync(session))
                {
                    context.Fail("The session has ended.");
                }
            },
        };

        options.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = settings.Issuer,
            ValidAudience = settings.Audience,
            ValidAlgorithms = JwtSettings.AllowedAlgorithms,
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
    }
}
