using System.Net;
using Polly;
using Polly.Timeout;

namespace Ahod.ServiceDefaults;

/// <summary>What counts as transient: the failures a second attempt can fix.</summary>
public static class HttpResiliencePredicates
{
    public static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => IsTransient(response.StatusCode),
        _ => false,
    };

    public static bool IsTransient(HttpStatusCode statusCode) =>
        (int)statusCode >= 500
        || statusCode == HttpStatusCode.RequestTimeout
        || statusCode == HttpStatusCode.TooManyRequests;
}
