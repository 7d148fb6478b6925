using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;

namespace Ahod.ServiceDefaults;

public static class ProblemDetailsExtensions
{
    public const string TraceIdKey = "traceId";

    /// <summary>Every error body is RFC 9457 ProblemDetails carrying the trace id, so a user's report leads to the trace.</summary>
    public static IServiceCollection AddAhodProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions[TraceIdKey] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        return services;
    }
}
