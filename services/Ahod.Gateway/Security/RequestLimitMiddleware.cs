using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Ahod.Gateway.Security;

/// <summary>414 for a URI and 431 for headers past <see cref="RequestLimitOptions"/>, as ProblemDetails, before anything is forwarded.</summary>
internal sealed class RequestLimitMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
{
    private readonly RequestLimitOptions _limits = options.Value.RequestLimits;

    public async Task InvokeAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        if (target.Length > _limits.MaxUriBytes)
        {
            await GatewayProblems.WriteAsync(context, StatusCodes.Status414UriTooLong, "URI too long",
                $"The path and query may be at most {_limits.MaxUriBytes} bytes; this one has {target.Length}.");
            return;
        }

        var headers = context.Request.Headers;
        var bytes = 0L;
        foreach (var (name, values) in headers)
        {
            bytes += name.Length;
            foreach (var value in values)
            {
                bytes += value?.Length ?? 0;
            }
        }

        if (headers.Count > _limits.MaxHeaderCount || bytes > _limits.MaxHeaderBytes)
        {
            await GatewayProblems.WriteAsync(context, StatusCodes.Status431RequestHeaderFieldsTooLarge, "Request headers too large",
                $"At most {_limits.MaxHeaderCount} headers of {_limits.MaxHeaderBytes} bytes together; this request has {headers.Count} of {bytes}.");
            return;
        }

        await next(context);
    }
}
