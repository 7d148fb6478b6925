using System.Reflection;
using System.Text.Json.Nodes;
using Ahod.Payments.Ledger;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Ahod.Payments.Idempotency;

/// <summary>
/// A response built once as a <see cref="StoredResponse"/> (so its replays are byte-identical), typed for the endpoint's
/// OpenAPI description: <typeparamref name="TBody"/> when the money moved (201), a ProblemDetails when the ledger or the
/// idempotency rules refused it (404 not yours, 409 in flight or conflicting, 422 a rule such as insufficient funds).
/// </summary>
public sealed class StoredResult<TBody>(StoredResponse response) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult
{
    public StoredResponse Response { get; } = response;

    public int? StatusCode => Response.Status;

    /// <summary>
    /// Writes the stored bytes; a problem gets this request's <c>instance</c> and <c>traceId</c> (a replay points to the
    /// replay's trace), like every other ProblemDetails. A stored success is written byte for byte.
    /// </summary>
    public Task ExecuteAsync(HttpContext httpContext)
    {
        var body = Response.Body;
        if (Response.ContentType == ApiResponses.ProblemJson && JsonNode.Parse(body) is JsonObject problem)
        {
            problem["instance"] = httpContext.Request.Path.Value;
            problem[ProblemDetailsExtensions.TraceIdKey] = ProblemDetailsExtensions.TraceIdOf(httpContext);
            body = problem.ToJsonString(ApiJson.Options);
        }

        return Results.Text(body, Response.ContentType, System.Text.Encoding.UTF8, Response.Status).ExecuteAsync(httpContext);
    }

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status201Created, typeof(TBody), ["application/json"]));
        foreach (var status in new[] { StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
        }
    }
}
