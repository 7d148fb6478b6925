using Ahod.Gateway.Docs;
using Ahod.Gateway.RateLimiting;
using Ahod.Gateway.ReverseProxy;
using Ahod.Gateway.Security;
using Ahod.ServiceDefaults;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Ahod.Gateway;

public static class GatewayExtensions
{
    public const string WebCorsPolicy = "web";

    public static IHostApplicationBuilder AddGateway(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<GatewayOptions>().BindConfiguration(GatewayOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<GatewayOptions>, GatewayOptionsValidator>();

        // YARP forwards with its own HttpClient (no resilience handler: retrying a POST at the edge could move money twice).
        services.AddReverseProxy()
            .AddTransforms(ProxyHeaders.Add)
            .AddServiceDiscoveryDestinationResolver();
        services.AddSingleton<IProxyConfigProvider>(sp =>
        {
            var gateway = sp.GetRequiredService<IOptions<GatewayOptions>>().Value;
            return new InMemoryConfigProvider(
                GatewayProxyConfig.Routes(gateway), GatewayProxyConfig.Clusters(gateway, sp.GetRequiredService<IConfiguration>()));
        });

        services.AddGatewayRateLimiting();
        services.AddDocs();
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

    /// <summary>
    /// YARP's routes, plus what no route may change: /internal/* (service-to-service) is never forwarded and a path
    /// without a route is a 404 ProblemDetails.
    /// </summary>
    public static WebApplication MapGatewayProxy(this WebApplication app)
    {
        app.Map(GatewayProxyConfig.InternalPrefix + "/{**rest}", NotRoutedAsync);
        app.MapReverseProxy(ProxyPipeline.Configure);
        app.Map("{**path}", NotRoutedAsync);
        return app;
    }

    private static Task NotRoutedAsync(HttpContext context) =>
        GatewayProblems.WriteAsync(context, StatusCodes.Status404NotFound, "Not found", "No route matches this path.");
}
