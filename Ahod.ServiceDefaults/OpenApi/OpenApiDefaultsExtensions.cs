using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.OpenApi;

namespace Ahod.ServiceDefaults;

/// <summary>
/// Each service's OpenAPI document at <c>/openapi/v1.json</c> (Microsoft.AspNetCore.OpenApi, built from the typed results
/// of its endpoints), with what makes it usable on its own: a title and description, and the bearer scheme on every
/// operation that needs a token, so "Authorize" in the gateway's /docs works. The gateway serves the documents with
/// itself as the server; <c>/internal</c> endpoints are excluded where they are mapped.
/// </summary>
public static class OpenApiDefaultsExtensions
{
    public const string DocumentName = "v1";

    public const string BearerSchemeName = "Bearer";

    public static IHostApplicationBuilder AddOpenApiDefaults(this IHostApplicationBuilder builder, string title, string description)
    {
        builder.Services.AddOpenApi(DocumentName, options =>
        {
            // The service-to-service API is not part of the public contract (the gateway never routes it).
            options.ShouldInclude = description =>
                description.RelativePath is not { } path || !path.StartsWith("internal", StringComparison.OrdinalIgnoreCase);
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo { Title = title, Version = DocumentName, Description = description };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[BearerSchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "JWT",
                    Description = "The access token from POST /api/auth/signin or /api/auth/signup (`accessToken`), valid for minutes; " +
                        "POST /api/auth/refresh gives a new one.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer((operation, context, _) =>
            {
                var metadata = context.Description.ActionDescriptor.EndpointMetadata;
                if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
                {
                    operation.Security ??= [];
                    operation.Security.Add(new OpenApiSecurityRequirement
                    {
                        [new OpenApiSecuritySchemeReference(BearerSchemeName, context.Document)] = [],
                    });
                    operation.Responses ??= [];
                    operation.Responses.TryAdd("401", new OpenApiResponse { Description = "No access token, or an invalid, expired or revoked one." });
                }

                return Task.CompletedTask;
            });
        });
        return builder;
    }

    /// <summary>Maps <c>GET /openapi/v1.json</c>; anonymous, since it describes the public contract.</summary>
    public static IEndpointConventionBuilder MapOpenApiDefaults(this IEndpointRouteBuilder app) =>
        app.MapOpenApi().AllowAnonymous();
}
