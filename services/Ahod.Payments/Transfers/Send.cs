using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Ahod.Payments.Idempotency;
using Ahod.Payments.Ledger;

namespace Ahod.Payments.Transfers;

public sealed record SendRequest(Guid FromAccountId, Guid ToUserId, [Required] Money? Amount, [MaxLength(280)] string? Memo);

/// <summary>Moves money from my wallet to another user's wallet in the same currency.</summary>
public static class Send
{
    internal static async Task<Results<StoredResult<TransferView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        SendRequest body, HttpContext http, LedgerBatcher ledger)
    {
        // The shape is checked by the built-in validation before this runs; the rules here: ids that are not empty, a
        // positive amount in a currency we handle.
        var validation = new Validation();
        validation.Id(body.FromAccountId, "fromAccountId");
        validation.Id(body.ToUserId, "toUserId");
        validation.Money(body.Amount, "amount");
        if (!validation.IsValid)
        {
            return MoneyEndpoints.Invalid(validation);
        }

        var userId = http.User.GetUserId();
        if (body.ToUserId == userId)
        {
            return TypedResults.Problem(statusCode: 422, title: "Cannot send to yourself.",
                detail: "The recipient is the sender; move money between your own wallets is not a payment.");
        }

        // One ledger request does it all: the key, the sender's wallet, the recipient's wallet and the transfer are
        // checked and written in the ledger's batch transaction (see LedgerRules), with no round trip of their own.
        var amount = body.Amount!;
        var metadata = JsonSerializer.Serialize(new SendMetadata(userId, body.ToUserId, body.Memo), ApiJson.Options);
        return await Idempotent.SubmitAsync<TransferView>(http, body, ledger, key => new LedgerRequest
        {
            Operation = LedgerOperation.Transfer,
            TransferId = Guid.CreateVersion7(),
            DebitAccountId = body.FromAccountId,
            DebitWalletOwner = userId,
            CreditWalletOwner = body.ToUserId,
            Amount = amount.Amount,
            Currency = amount.Currency,
            Code = "p2p",
            Metadata = metadata,
            InitiatedBy = userId,
            Key = key,
            Render = Render,
        });
    }

    private static StoredResponse Render(LedgerResult result) => result.Outcome switch
    {
        LedgerOutcome.Created => ApiResponses.Ok(201, result.Transfer),
        LedgerOutcome.NotFound when result.Reason == LedgerRules.WalletNotFound =>
            ApiResponses.Problem(404, "Account not found.", result.Detail ?? "No such wallet of yours."),
        LedgerOutcome.Rejected when result.Reason == LedgerRules.RecipientWalletMissing =>
            ApiResponses.Problem(422, "Recipient cannot receive this currency.", result.Detail ?? "", LedgerRules.RecipientWalletMissing),
        _ => ApiResponses.Failure(result),
    };

    private sealed record SendMetadata(Guid FromUserId, Guid ToUserId, string? Memo);
}
