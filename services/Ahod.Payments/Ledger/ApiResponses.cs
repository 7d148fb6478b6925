using System.Text.Json;
using Ahod.Payments.Idempotency;
using Ahod.ServiceDefaults;

namespace Ahod.Payments.Ledger;

/// <summary>Builds responses as stored bodies, so the first response and its replays are byte-identical.</summary>
internal static class ApiResponses
{
    public const string Json = "application/json";
    public const string ProblemJson = "application/problem+json";

    public static StoredResponse Ok<T>(int status, T body) => new(status, Json, JsonSerializer.Serialize(body, ApiJson.Options));

    public static StoredResponse Problem(int status, string title, string detail, string? code = null, Guid? transferId = null)
    {
        var problem = new Dictionary<string, object?>
        {
            ["type"] = status switch
            {
                404 => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
                409 => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
                422 => "https://tools.ietf.org/html/rfc9110#section-15.5.21",
                _ => "about:blank",
            },
            ["title"] = title,
            ["status"] = status,
            ["detail"] = detail,
        };
        if (code is not null)
        {
            problem["code"] = code;
        }

        if (transferId is not null)
        {
            problem["transferId"] = transferId;
        }

        return new StoredResponse(status, ProblemJson, JsonSerializer.Serialize(problem, ApiJson.Options));
    }

    /// <summary>The standard rendering of a ledger result that did not succeed.</summary>
    public static StoredResponse Failure(LedgerResult result) => result.Outcome switch
    {
        LedgerOutcome.NotFound => Problem(404, "Not found.", result.Detail ?? "Not found.", result.Reason),
        LedgerOutcome.Conflict => Problem(409, "Conflict.", result.Detail ?? "Conflict.", result.Reason, result.Transfer?.Id),
        LedgerOutcome.Superseded => Problem(409, "Request in progress.", result.Detail ?? "Superseded."),
        _ => Problem(422, Titles.GetValueOrDefault(result.Reason ?? "", "The ledger refused the transfer."),
            result.Detail ?? "Refused.", result.Reason, result.Transfer?.Id),
    };

    private static readonly Dictionary<string, string> Titles = new()
    {
        [LedgerReasons.InsufficientFunds] = "Insufficient funds.",
        [LedgerReasons.CurrencyMismatch] = "Currency mismatch.",
        [LedgerReasons.AccountClosed] = "Account closed.",
        [LedgerReasons.SameAccount] = "Same account.",
        [LedgerReasons.HoldNotPending] = "Hold is not pending.",
        [LedgerReasons.HoldExpired] = "Hold expired.",
        [LedgerReasons.AmountExceedsHold] = "Amount exceeds the hold.",
    };
}
