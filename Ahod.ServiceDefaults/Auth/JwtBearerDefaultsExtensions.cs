using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Ahod.ServiceDefaults;

public static class JwtBearerDefaultsExtensions
{
    /// <summary>The named HttpClient that fetches the JWKS; it gets discovery and resilience like any other.</summary>
    public const string JwksHttpClientName = "Ahod.Jwks";

    /// <summary>
    /// Validates Identity's access tokens: issuer, audience, lifetime (30 s skew), asymmetric signature
    /// against the cached JWKS. Claims keep their JWT names ("sub", "roles").
    /// </summary>
    public static IHostApplicationBuilder AddJwtBearerDefaults(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(JwtSettings.SectionName).Get<JwtSettings>() ?? new JwtSettings();

        builder.Services.AddHttpClient(JwksHttpClientName);
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddAuthorization();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton(services => new JwksCache(
            services.GetRequiredService<IHttpClientFactory>(),
            settings.JwksUrl,
            services.GetRequiredService<TimeProvider>(),
            services.GetRequiredService<ILogger<JwksCache>>()));
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<JwksCache>((options, cache) => Configure(options, settings, cache));

        return builder;
    }

    private static void Configure(JwtBearerOptions options, JwtSettings settings, JwksCache cache)
    {
        options.MapInboundClaims = false;
        options.Audience = settings.Audience;
        options.TokenHandlers.Clear();
        options.TokenHandlers.Add(new JwksTokenHandler(cache));

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
