using Ahod.Gateway.ReverseProxy;
using Ahod.Gateway.Security;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Ahod.Gateway.WebApp;

/// <summary>
/// The built web app at <c>/</c>: hashed files under <c>/assets</c> cached for a year (their name changes with their
/// content), <c>index.html</c> never cached, and a browser navigation to a client route (<c>/wallet</c>,
/// <c>/verify-email?...</c>) answered with <c>index.html</c>. API, hub, media and internal paths never fall back.
/// </summary>
public static class WebAppEndpoints
{
    public const string ImmutableCache = "public, max-age=31536000, immutable";
    public const string NoCache = "no-cache";

    private static readonly string[] NeverFallBack = ["/api", "/hubs", "/media", "/openapi", "/docs", "/.well-known", "/health", "/alive", GatewayProxyConfig.InternalPrefix];

    private const string WebRootKey = "Ahod.Gateway.WebRoot";

    /// <summary>The web root as a file provider (looked up once), or null when no built app is there.</summary>
    public static PhysicalFileProvider? WebRoot(this WebApplication app)
    {
        if (((IApplicationBuilder)app).Properties.TryGetValue(WebRootKey, out var known))
        {
            return known as PhysicalFileProvider;
        }

        var files = Find(app);
        ((IApplicationBuilder)app).Properties[WebRootKey] = files;
        return files;
    }

    private static PhysicalFileProvider? Find(WebApplication app)
    {
        var configured = app.Services.GetRequiredService<IOptions<GatewayOptions>>().Value.WebRoot;
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        var root = Path.GetFullPath(configured, app.Environment.ContentRootPath);
        if (!File.Exists(Path.Combine(root, "index.html")))
        {
            app.Logger.LogWarning("Gateway:WebRoot {WebRoot} has no index.html; the web app is not served (build it: npm run build in web/).", root);
            return null;
        }

        return new PhysicalFileProvider(root);
    }

    public static IApplicationBuilder UseWebApp(this IApplicationBuilder app, PhysicalFileProvider? files)
    {
        if (files is null)
        {
            return app;
        }

        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            ContentTypeProvider = new FileExtensionContentTypeProvider(),
            OnPrepareResponse = context => context.Context.Response.Headers.CacheControl =
                context.Context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal) ? ImmutableCache : NoCache,
        });
        return app;
    }

    /// <summary>True when the request is a browser navigation that the client's router answers.</summary>
    public static bool IsClientRoute(HttpRequest request) =>
        (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        && request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase))
        && !NeverFallBack.Any(prefix => PublicEndpoints.IsUnder(request.Path.Value ?? "/", prefix))
        && !Path.HasExtension(request.Path.Value);

    public static async Task SendIndexAsync(HttpContext context, IFileProvider files)
    {
        var index = files.GetFileInfo("index.html");
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = NoCache;
        context.Response.ContentLength = index.Length;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.SendFileAsync(index, context.RequestAborted);
        }
    }
}
