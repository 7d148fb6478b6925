using Ahod.Gateway.Proxy;
using Ahod.Gateway.RateLimiting;
using Ahod.Gateway.Routing;
using Ahod.Gateway.Security;
using Ahod.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Ahod.Gateway;

public static class GatewayExtensions
{
    public const string WebCorsPolicy = "web";

    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();

        services.AddSingleton<RouteTable>();
        services.AddSingleton<ServiceDestinations>();
        services.AddSingleton<ForwarderInvoker>();
        services.AddSingleton<HttpForwarder>();
        services.AddSingleton<WebSocketForwarder>();

        services.AddGatewayRateLimiting();
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IOptions<GatewayOptions>>((cors, gateway) =>
            cors.AddPolicy(WebCorsPolicy, policy => policy
                .WithOrigins(gateway.Value.WebOrigin.TrimEnd('/'))
                .AllowAnyMethod()
                .AllowAnyHeader()
                // The refresh token is an httponly cookie: the web app must be allowed to send it.
                .AllowCredentials()
                .WithExposedHeaders("Retry-After", "Location")
                .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

        if (builder is WebApplicationBuilder web)
        {
            // Do not advertise the server software; services' Server headers are dropped too.
            web.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        }

        return builder;
    }

    /// <summary>The edge pipeline, in the order that matters: errors, headers, CORS, size, identity, limits.</summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        app.UseServiceDefaults();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseWebSockets();
        app.UseCors(WebCorsPolicy);
        app.UseMiddleware<BodyLimitMiddleware>();
        app.UseAuthentication();
        app.UseMiddleware<EdgeAuthenticationMiddleware>();
        app.UseRateLimiter();
        return app;
    }
}
