using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Ahod.Gateway.Security;

/// <summary>
/// 1 MB for every body except listing image uploads. A declared Content-Length over the limit is refused
/// before anything is forwarded; a chunked body is cut off by Kestrel when it crosses the limit.
/// </summary>
internal sealed class BodyLimitMiddleware(RequestDelegate next, IOptions<GatewayOptions> options)
{
    private static readonly string[] UploadTemplate = ["api", "listings", "{id}", "images"];

    private readonly BodyLimitOptions _limits = options.Value.BodyLimits;

    public async Task InvokeAsync(HttpContext context)
    {
        var limit = IsImageUpload(context.Request) ? _limits.UploadBytes : _limits.DefaultBytes;
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength > limit)
        {
            await GatewayProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"The request body may be at most {limit} bytes.");
            return;
        }

        await next(context);
    }

    private static bool IsImageUpload(HttpRequest request)
    {
        if (!HttpMethods.IsPost(request.Method))
        {
            return false;
        }

        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Length == UploadTemplate.Length
               && segments[0].Equals(UploadTemplate[0], StringComparison.OrdinalIgnoreCase)
               && segments[1].Equals(UploadTemplate[1], StringComparison.OrdinalIgnoreCase)
               && segments[3].Equals(UploadTemplate[3], StringComparison.OrdinalIgnoreCase);
    }
}
