using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Ahod.ServiceDefaults;

/// <summary>
/// A JSON report of each check's status. Exception details stay out: the endpoint is anonymous and
/// a connection error can name hosts and users.
/// </summary>
internal static class HealthResponseWriter
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";

        var body = new HealthReportResponse(
            report.Status.ToString(),
            report.TotalDuration.TotalMilliseconds,
            report.Entries
                .Select(entry => new HealthCheckResponse(
                    entry.Key,
                    entry.Value.Status.ToString(),
                    // A thrown check's description is the exception message, which can leak internals.
                    entry.Value.Exception is null ? entry.Value.Description : "The check failed; see the service logs.",
                    entry.Value.Duration.TotalMilliseconds))
                .ToArray());

        return JsonSerializer.SerializeAsync(context.Response.Body, body, JsonOptions, context.RequestAborted);
    }

    private sealed record HealthReportResponse(string Status, double TotalDurationMs, HealthCheckResponse[] Checks);

    private sealed record HealthCheckResponse(string Name, string Status, string? Description, double DurationMs);
}
