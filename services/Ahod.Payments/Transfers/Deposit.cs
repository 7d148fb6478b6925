using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Ahod.Payments.Accounts;
using Ahod.Payments.Idempotency;
using Ahod.Payments.Ledger;
using Ahod.Payments.Providers;
using Microsoft.Extensions.Options;

namespace Ahod.Payments.Transfers;

public sealed record PaymentSource(
    [Required, AllowedValues("card", "bank", "mobileMoney", ErrorMessage = "Must be card, bank or mobileMoney.")] string? Type,
    [Required(ErrorMessage = "Required: the provider's token for the source (card numbers are never accepted)."), MaxLength(255)] string? Token);

public sealed record DepositRequest(Guid AccountId, [Required] Money? Amount, [Required] PaymentSource? Source);

/// <summary>Funds a wallet from an external source through the payment provider: 201 when it settles at once, 202 while it settles.</summary>
public static class Deposit
{
    internal static async Task<Results<StoredResult<TransferView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        DepositRequest body, HttpContext http, LedgerBatcher ledger, AccountDirectory accounts, IdempotencyStore idempotency,
        IPaymentProvider provider, IOptions<PaymentsOptions> options, TimeProvider time)
    {
        // The shape is checked by the built-in validation before this runs; the rules here: an id that is not empty, a
        // positive amount in a currency we handle.
        var validation = new Validation();
        validation.Id(body.AccountId, "accountId");
        validation.Money(body.Amount, "amount");
        if (!validation.IsValid)
        {
            return MoneyEndpoints.Invalid(validation);
        }

        var userId = http.User.GetUserId();
        var amount = body.Amount!;
        return await Idempotent.ExecuteAsync<TransferView>(http, body, async claim =>
        {
            var wallet = await MoneyEndpoints.MyWalletAsync(accounts, body.AccountId, userId, http.RequestAborted);
            if (wallet is null || wallet.Currency != amount.Currency)
            {
                return await MoneyEndpoints.FinishAsync(idempotency, claim, MoneyEndpoints.WalletProblem(wallet, amount), http.RequestAborted);
            }

            var charge = await provider.ChargeAsync(body.Source!.Type!, body.Source.Token!, amount, http.RequestAborted);
            var clearing = await accounts.ClearingAccountAsync(provider.Name, amount.Currency, http.RequestAborted);
            var operation = charge.Status switch
            {
                ChargeStatus.Succeeded => LedgerOperation.Transfer,
                ChargeStatus.Pending => LedgerOperation.Hold,
                _ => LedgerOperation.Decline,
            };
            var metadata = JsonSerializer.Serialize(new
            {
                provider = provider.Name,
                sourceType = body.Source.Type,
                providerReference = charge.ProviderReference,
                declineReason = charge.DeclineReason,
            }, ApiJson.Options);

            return await MoneyEndpoints.SubmitAsync(ledger, new LedgerRequest
            {
                Operation = operation,
                TransferId = Guid.CreateVersion7(),
                DebitAccountId = clearing,
                CreditAccountId = wallet.Id,
                Amount = amount.Amount,
                Currency = amount.Currency,
                Code = "deposit",
                Metadata = metadata,
                TimeoutAt = operation == LedgerOperation.Hold ? time.GetUtcNow() + options.Value.DepositTimeout : null,
                InitiatedBy = userId,
                Idempotency = claim,
                Render = result => result.Outcome switch
                {
                    LedgerOutcome.Created when operation == LedgerOperation.Decline => ApiResponses.Problem(
                        422, "Deposit declined.", charge.DeclineReason ?? "The provider declined the source.", "declined", result.Transfer!.Id),
                    // Money that settles later is 202 Accepted; its status moves to posted when the provider settles.
                    LedgerOutcome.Created => ApiResponses.Ok(operation == LedgerOperation.Hold ? 202 : 201, result.Transfer),
                    _ => ApiResponses.Failure(result),
                },
            });
        });
    }
}
