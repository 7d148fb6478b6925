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
            context.ProblemDetails.Type ??= TypeFor(context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode);
            context.ProblemDetails.Extensions[TraceIdKey] = TraceIdOf(context.HttpContext);
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

    /// <summary>The trace a problem belongs to: the W3C trace id when tracing is on, else the request's id.</summary>
    public static string TraceIdOf(HttpContext context) => Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;

    /// <summary>
    /// The <c>type</c> of a status the framework has no default for (it knows 400-409, 412, 415, 422, 426, 500-504):
    /// the section of the RFC that defines it, so 413, 414, 429 and 431 are typed like the rest.
    /// </summary>
    public static string? TypeFor(int status) => status switch
    {
        StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        StatusCodes.Status414UriTooLong => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        StatusCodes.Status422UnprocessableEntity => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "https://tools.ietf.org/html/rfc6585#section-5",
        _ => null,
    };

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
