using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.OpenApi;

namespace Ahod.ServiceDefaults;

/// <summary>
/// The <c>Idempotency-Key</c> header of a request that must not run twice (moving money): read and checked once, by an
/// endpoint filter, before the handler. What a service does with the key (store and replay a result, derive a transfer
/// id) stays the service's own; handlers read the checked key with <see cref="GetIdempotencyKey"/>.
/// </summary>
public static class IdempotencyKeys
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxLength = 255;

    private static readonly object ItemKey = new();

    /// <summary>
    /// Requires the header on every endpoint of the builder: 400 ValidationProblem naming <c>Idempotency-Key</c> when it is
    /// missing, blank or longer than 255 characters (nothing runs, so nothing changes). Also documents it in OpenAPI.
    /// </summary>
    public static TBuilder RequireIdempotencyKey<TBuilder>(this TBuilder builder, string? description = null)
        where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (context, next) =>
        {
            var key = context.HttpContext.Request.Headers[HeaderName].ToString();
            if (string.IsNullOrWhiteSpace(key) || key.Length > MaxLength)
            {
                return TypedResults.ValidationProblem(
                    new Dictionary<string, string[]>
                    {
                        [HeaderName] = [$"Required: a unique string of 1-{MaxLength} characters per operation (a UUID is ideal); a retry sends the same one."],
                    },
                    title: "Idempotency-Key header missing or invalid.");
            }

            context.HttpContext.Items[ItemKey] = key;
            return await next(context);
        });
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = HeaderName,
                In = ParameterLocation.Header,
                Required = true,
                Description = description ?? $"A unique string per operation (a UUID is ideal), at most {MaxLength} characters; a retry " +
                    "of the same operation sends the same key and is recognised as one.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = MaxLength },
            });
            return Task.CompletedTask;
        });
        return builder;
    }

    /// <summary>The key <see cref="RequireIdempotencyKey"/> checked for this request.</summary>
    public static string GetIdempotencyKey(this HttpContext http) =>
        http.Items[ItemKey] as string
            ?? throw new InvalidOperationException($"The endpoint {http.Request.Path} reads an Idempotency-Key without RequireIdempotencyKey().");
}
