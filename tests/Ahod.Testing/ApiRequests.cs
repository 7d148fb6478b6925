using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Ahod.Testing;

/// <summary>Requests as a client of the public API makes them: bearer token, Idempotency-Key, JSON body.</summary>
public static class ApiRequests
{
    /// <param name="body">An object serialized as JSON, or a string sent as raw JSON (for malformed-input tests).</param>
    public static Task<HttpResponseMessage> SendApiAsync(
        this HttpClient client, HttpMethod method, string path, string? token, object? body = null, string? idempotencyKey = null,
        CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = body is string raw ? new StringContent(raw, System.Text.Encoding.UTF8, "application/json") : JsonContent.Create(body);
        }

        return client.SendAsync(request, cancellationToken);
    }
}
