using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Ahod.ServiceDefaults;

public static class NoStoreExtensions
{
    /// <summary>
    /// <c>Cache-Control: no-store</c> on every response of the endpoints (balances, transfers, profiles, tokens), so no
    /// browser, proxy or shared device keeps a copy. Set before the handler runs, so problems and replays carry it too.
    /// </summary>
    public static TBuilder WithNoStore<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(static (context, next) =>
        {
            context.HttpContext.Response.Headers.CacheControl = "no-store";
            return next(context);
        });
}
