using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace Ahod.ServiceDefaults;

public static class ResilienceExtensions
{
    /// <summary>
    /// Adds the standard pipeline (rate limiter, total timeout, retry, circuit breaker, attempt timeout).
    /// On <c>ConfigureHttpClientDefaults</c> it applies to every client; calling it again on a named
    /// client only layers that client's <paramref name="configure"/> over the defaults, never a second handler.
    /// </summary>
    public static IHttpClientBuilder AddStandardResilienceHandler(
        this IHttpClientBuilder builder,
        Action<HttpStandardResilienceOptions>? configure = null)
    {
        builder.Services.TryAddSingleton<StandardResiliencePipelines>();

        // A null name (the defaults builder) configures every client.
        builder.Services.AddOptions<HttpStandardResilienceOptions>();
        if (configure is not null)
        {
            builder.Services.Configure(builder.Name, configure);
        }

        builder.Services.Configure<HttpClientFactoryOptions>(builder.Name, factory =>
            factory.HttpMessageHandlerBuilderActions.Add(handlers =>
            {
                if (handlers.AdditionalHandlers.Any(handler => handler is ResilienceHandler))
                {
                    return;
                }

                var pipelines = handlers.Services.GetRequiredService<StandardResiliencePipelines>();
                handlers.AdditionalHandlers.Add(new ResilienceHandler(pipelines.Get(handlers.Name ?? Options.DefaultName)));
            }));

        return builder;
    }
}
