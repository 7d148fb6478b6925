using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ahod.ServiceDefaults;

/// <summary>
/// Service-to-service authentication for <c>/internal/*</c> endpoints: a shared key the AppHost generates and
/// injects into every project as <c>InternalApi__Key</c>. The gateway never routes <c>/internal</c> and strips
/// client-sent <c>X-Ahod-*</c> headers, so only services holding the key get in.
/// </summary>
public static class InternalApi
{
    public const string HeaderName = "X-Ahod-Internal-Key";
    public const string ConfigurationKey = "InternalApi:Key";

    /// <summary>Requires the internal key on every endpoint of the group; 401 ProblemDetails otherwise.</summary>
    public static TBuilder RequireInternalApiKey<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var services = context.HttpContext.RequestServices;
            var expected = services.GetRequiredService<IConfiguration>()[ConfigurationKey];
            if (string.IsNullOrEmpty(expected))
            {
                // Fail closed: a service without a key accepts no internal call.
                services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(InternalApi))
                    .LogError("{Key} is not configured; internal endpoints refuse every call.", ConfigurationKey);
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Internal API key required.");
            }

            var given = context.HttpContext.Request.Headers[HeaderName].ToString();
            return Matches(given, expected)
                ? await next(context)
                : TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Internal API key required.");
        });

    /// <summary>Adds the internal key to every request of this client (for calls to other services' /internal API).</summary>
    public static IHttpClientBuilder AddInternalApiKey(this IHttpClientBuilder builder)
    {
        builder.Services.AddTransient<InternalApiKeyHandler>();
        return builder.AddHttpMessageHandler<InternalApiKeyHandler>();
    }

    // Constant time, so the key cannot be guessed byte by byte from response timings.
    private static bool Matches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    private sealed class InternalApiKeyHandler(IConfiguration configuration) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var key = configuration[ConfigurationKey]
                ?? throw new InvalidOperationException($"{ConfigurationKey} is not configured; the AppHost injects it as InternalApi__Key.");
            request.Headers.Remove(HeaderName);
            request.Headers.Add(HeaderName, key);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
