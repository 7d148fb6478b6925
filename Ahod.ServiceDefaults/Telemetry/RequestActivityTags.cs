using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ahod.ServiceDefaults;

/// <summary>
/// ASP.NET Core's hosting activity carries no HTTP tags without the instrumentation package,
/// which is not available to us; this middleware adds the semantic-convention tags that exporters
/// and <see cref="HealthRequestTraceFilter"/> need.
/// </summary>
internal static class RequestActivityTags
{
    public const string HostingSourceName = "Microsoft.AspNetCore";
    public const string UrlPath = "url.path";

    public static IApplicationBuilder UseRequestActivityTags(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            var activity = Activity.Current;
            if (activity is null || activity.Source.Name != HostingSourceName)
            {
                await next(context);
                return;
            }

            var request = context.Request;
            activity.SetTag("http.request.method", request.Method);
            activity.SetTag("url.scheme", request.Scheme);
            activity.SetTag(UrlPath, request.Path.Value);
            activity.SetTag("server.address", request.Host.Host);
            activity.SetTag("server.port", context.Connection.LocalPort);

            try
            {
                await next(context);
            }
            finally
            {
                var route = (context.GetEndpoint() as Microsoft.AspNetCore.Routing.RouteEndpoint)?.RoutePattern.RawText;
                if (route is not null)
                {
                    activity.SetTag("http.route", route);
                    activity.DisplayName = $"{request.Method} {route}";
                }

                activity.SetTag("http.response.status_code", context.Response.StatusCode);
                if (context.Response.StatusCode >= StatusCodes.Status500InternalServerError)
                {
                    activity.SetStatus(ActivityStatusCode.Error);
                }
            }
        });
}
