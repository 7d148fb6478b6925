using System.Text.Json;
using Ahod.Payments.Ledger;
using Ahod.ServiceDefaults;

namespace Ahod.Payments.Idempotency;

/// <summary>Runs a money-moving POST under its <c>Idempotency-Key</c>: claim, execute once, store, replay.</summary>
internal static class Idempotent
{
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The header as documented on the endpoints that run under <see cref="ExecuteAsync{TBody}"/> (ServiceDefaults checks it).</summary>
    public const string KeyDescription = "A unique string per operation (a UUID is ideal), at most 255 characters. The first result for a key is " +
        "stored and replayed for 24 h (with `Idempotent-Replayed: true`); the same key with another body is 422, and " +
        "while the first request with it still runs, 409.";

    public static async Task<Results<StoredResult<TBody>, ValidationProblem, ProblemHttpResult>> ExecuteAsync<TBody>(
        HttpContext http, object body, Func<IdempotencyClaim, Task<StoredResponse>> execute)
    {
        var key = http.GetIdempotencyKey();
        var store = http.RequestServices.GetRequiredService<IdempotencyStore>();
        var hash = IdempotencyStore.Hash(http.Request.Path, body, ApiJson.Options);
        var claim = await store.ClaimAsync(http.User.GetUserId(), key, hash, http.RequestAborted);
        switch (claim)
        {
            case ClaimResult.Replay replay:
                http.Response.Headers[ReplayedHeader] = "true";
                return new StoredResult<TBody>(replay.Response);
            case ClaimResult.KeyReused:
                return KeyReused();
            case ClaimResult.InFlight:
                return InFlight();
        }

        var acquired = ((ClaimResult.Acquired)claim).Claim;
        try
        {
            return new StoredResult<TBody>(await execute(acquired));
        }
        catch (LedgerUnavailableException)
        {
            await store.ReleaseAsync(acquired);
            return Unavailable(http);
        }
        catch
        {
            await store.ReleaseAsync(acquired);
            throw;
        }
    }

    /// <summary>
    /// Runs a POST whose whole effect is one ledger request: the key is claimed, checked and completed inside the
    /// ledger's batch transaction (<see cref="LedgerRequest.Key"/>), so the request costs no round trip of its own
    /// before the batch, and the stored response commits with the transfer or not at all.
    /// </summary>
    public static async Task<Results<StoredResult<TBody>, ValidationProblem, ProblemHttpResult>> SubmitAsync<TBody>(
        HttpContext http, object body, LedgerBatcher ledger, Func<IdempotencyKey, LedgerRequest> request)
    {
        var key = http.GetIdempotencyKey();
        LedgerResult result;
        try
        {
            result = await ledger.SubmitAsync(request(new IdempotencyKey(http.User.GetUserId(), key,
                IdempotencyStore.Hash(http.Request.Path, body, ApiJson.Options))));
        }
        catch (LedgerUnavailableException)
        {
            // The batch rolled back: nothing was applied and the key was not taken.
            return Unavailable(http);
        }

        switch (result.Outcome)
        {
            case LedgerOutcome.Replayed:
                http.Response.Headers[ReplayedHeader] = "true";
                return new StoredResult<TBody>(result.Response!);
            case LedgerOutcome.KeyReused:
                return KeyReused();
            case LedgerOutcome.KeyInFlight:
                return InFlight();
            default:
                return new StoredResult<TBody>(result.Response ?? ApiResponses.Failure(result));
        }
    }

    private static ProblemHttpResult KeyReused() => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "Idempotency-Key reused.", detail: "This key was already used with a different request body.");

    private static ProblemHttpResult InFlight() => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "Request in progress.", detail: "A request with this Idempotency-Key is still running; retry shortly.");

    private static ProblemHttpResult Unavailable(HttpContext http)
    {
        http.Response.Headers.RetryAfter = "1";
        return TypedResults.Problem(statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Payments temporarily unavailable.", detail: "Nothing was applied; retry with the same Idempotency-Key.");
    }
}

/// <summary>The service's JSON settings for bodies it stores and replays byte for byte.</summary>
internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
