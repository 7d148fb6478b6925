using System.Text.Json;
using Ahod.Payments.Accounts;
using Ahod.Payments.Data;
using Ahod.Payments.Idempotency;
using Ahod.Payments.Ledger;

namespace Ahod.Payments.Transfers;

public sealed record SendRequest(Guid FromAccountId, Guid ToUserId, Money? Amount, string? Memo);

/// <summary>Moves money from my wallet to another user's wallet in the same currency.</summary>
public static class Send
{
    internal static async Task<Results<StoredResult<TransferView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        SendRequest body, HttpContext http, LedgerBatcher ledger, AccountDirectory accounts, IdempotencyStore idempotency)
    {
        var validation = new Validation();
        validation.Id(body.FromAccountId, "fromAccountId");
        validation.Id(body.ToUserId, "toUserId");
        validation.Money(body.Amount, "amount");
        validation.Require(body.Memo is null || body.Memo.Length <= 280, "memo", "At most 280 characters.");
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

        var amount = body.Amount!;
        return await Idempotent.ExecuteAsync<TransferView>(http, body, async claim =>
        {
            var wallet = await MoneyEndpoints.MyWalletAsync(accounts, body.FromAccountId, userId, http.RequestAborted);
            if (wallet is null || wallet.Currency != amount.Currency)
            {
                return await MoneyEndpoints.FinishAsync(idempotency, claim, MoneyEndpoints.WalletProblem(wallet, amount), http.RequestAborted);
            }

            var recipient = await accounts.FindByOwnerAsync(AccountKinds.Wallet, "user", body.ToUserId, amount.Currency, http.RequestAborted);
            if (recipient is null)
            {
                return await MoneyEndpoints.FinishAsync(idempotency, claim, ApiResponses.Problem(422, "Recipient cannot receive this currency.",
                    $"The recipient has no {amount.Currency} wallet.", "recipient_wallet_missing"), http.RequestAborted);
            }

            return await MoneyEndpoints.SubmitAsync(ledger, new LedgerRequest
            {
                Operation = LedgerOperation.Transfer,
                TransferId = Guid.CreateVersion7(),
                DebitAccountId = wallet.Id,
                CreditAccountId = recipient.Id,
                Amount = amount.Amount,
                Currency = amount.Currency,
                Code = "p2p",
                Metadata = JsonSerializer.Serialize(new { fromUserId = userId, toUserId = body.ToUserId, memo = body.Memo }, ApiJson.Options),
                InitiatedBy = userId,
                Idempotency = claim,
                Render = r => r.Outcome == LedgerOutcome.Created ? ApiResponses.Ok(201, r.Transfer) : ApiResponses.Failure(r),
            });
        });
    }
}
