using Ahod.Gateway.Docs;
using Ahod.Gateway.RateLimiting;
using Ahod.Gateway.ReverseProxy;
using Ahod.Gateway.Security;
using Ahod.Gateway.WebApp;
using Ahod.ServiceDefaults;
using Microsoft.AspNetCore.Server.Kestrel.Core;
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

        // Do not advertise the server software (services' Server headers are dropped too). Kestrel refuses an overlong
        // request line or header block while parsing, before any middleware, with an empty body: its limits sit well
        // above the gateway's own (RequestLimitMiddleware), so a client past those gets 414/431 ProblemDetails instead.
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<GatewayOptions>>((kestrel, gateway) =>
        {
            var limits = gateway.Value.RequestLimits;
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestLineSize = Math.Max(kestrel.Limits.MaxRequestLineSize, limits.MaxUriBytes * RequestLimitOptions.KestrelHeadroom);
            kestrel.Limits.MaxRequestHeadersTotalSize = Math.Max(kestrel.Limits.MaxRequestHeadersTotalSize, limits.MaxHeaderBytes * RequestLimitOptions.KestrelHeadroom);
            kestrel.Limits.MaxRequestHeaderCount = Math.Max(kestrel.Limits.MaxRequestHeaderCount, limits.MaxHeaderCount * RequestLimitOptions.KestrelHeadroom);
        });

        return builder;
    }

    /// <summary>The edge pipeline, in the order that matters: client address and errors, headers, CORS, sizes, identity, limits.</summary>
    public static WebApplication UseGateway(this WebApplication app)
    {
        app.UseServiceDefaults();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        // The built web app's files, before routing (static files step aside once an endpoint is chosen, and the
        // catch-all below matches every path); then routing, explicitly, for everything else.
        app.UseWebApp(app.WebRoot());
        app.UseRouting();
        app.UseWebSockets();
        app.UseCors(WebCorsPolicy);
        app.UseMiddleware<RequestLimitMiddleware>();
        app.UseMiddleware<BodyLimitMiddleware>();
        app.UseAuthentication();
        app.UseMiddleware<EdgeAuthenticationMiddleware>();
        app.UseRateLimiter();
        return app;
    }

    /// <summary>
    /// YARP's routes, plus what no route may change: /internal/* (service-to-service) is never forwarded and a path
    /// without a route is a 404 ProblemDetails, unless it is a browser navigation to a route of the web app (if built).
    /// </summary>
    public static WebApplication MapGatewayProxy(this WebApplication app)
    {
        var webRoot = app.WebRoot();
        app.Map(GatewayProxyConfig.InternalPrefix + "/{**rest}", NotRoutedAsync);
        app.MapReverseProxy(ProxyPipeline.Configure);
        app.Map("{**path}", context => webRoot is not null && WebAppEndpoints.IsClientRoute(context.Request)
            ? WebAppEndpoints.SendIndexAsync(context, webRoot)
            : NotRoutedAsync(context));
        return app;
    }

    private static Task NotRoutedAsync(HttpContext context) =>
        GatewayProblems.WriteAsync(context, StatusCodes.Status404NotFound, "Not found", "No route matches this path.");
}
