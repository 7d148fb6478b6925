using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Ahod.ServiceDefaults;

public static partial class ProblemDetailsExtensions
{
    public const string TraceIdKey = "traceId";

    /// <summary>Every error body is RFC 9457 ProblemDetails carrying the trace id, so a user's report leads to the trace.</summary>
    public static IServiceCollection AddAhodProblemDetails(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Instance ??= context.HttpContext.Request.Path;
            context.ProblemDetails.Extensions[TraceIdKey] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
            if (context.ProblemDetails is HttpValidationProblemDetails validation)
            {
                CamelCaseKeys(validation.Errors);
            }
        });
        services.AddExceptionHandler<ProblemExceptionHandler>();
        // Binding failures (malformed JSON, wrong JSON types, bad query values) throw in every environment, so the
        // handler above can name the field instead of the framework answering with its own text.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    /// <summary>
    /// Built-in validation names fields as C# members (<c>Contribution.Amount</c>); the contract's JSON is camelCase
    /// (<c>contribution.amount</c>). Keys that are not member paths (a header such as <c>Idempotency-Key</c>) stay as they are.
    /// </summary>
    internal static void CamelCaseKeys(IDictionary<string, string[]> errors)
    {
        foreach (var key in errors.Keys.Where(k => MemberPath().IsMatch(k)).ToList())
        {
            var camel = string.Join('.', key.Split('.').Select(JsonNamingPolicy.CamelCase.ConvertName));
            if (camel != key)
            {
                var messages = errors[key];
                errors.Remove(key);
                errors[camel] = errors.TryGetValue(camel, out var existing) ? [.. existing, .. messages] : messages;
            }
        }
    }

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*)*$")]
    private static partial Regex MemberPath();
}
