using System.Reflection;
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

    public Task ExecuteAsync(HttpContext httpContext) =>
        Results.Text(Response.Body, Response.ContentType, System.Text.Encoding.UTF8, Response.Status).ExecuteAsync(httpContext);

    public static void PopulateMetadata(MethodInfo method, EndpointBuilder builder)
    {
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status201Created, typeof(TBody), ["application/json"]));
        foreach (var status in new[] { StatusCodes.Status404NotFound, StatusCodes.Status409Conflict, StatusCodes.Status422UnprocessableEntity })
        {
            builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ["application/problem+json"]));
        }
    }
}
