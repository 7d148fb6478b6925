using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ahod.Payments.Accounts;
using Ahod.Payments.Data;
using Ahod.Payments.Idempotency;
using Ahod.Payments.Ledger;
using Ahod.Payments.Providers;
using Ahod.Payments.Security;

namespace Ahod.Payments.Transfers;

public sealed record PayoutDestination(
    [Required, AllowedValues("bank", "mobileMoney", ErrorMessage = "Must be bank or mobileMoney.")] string? Type,
    string? AccountNumber, string? RoutingNumber, string? PhoneNumber);

public sealed record WithdrawRequest(Guid AccountId, [Required] Money? Amount, [Required] PayoutDestination? Destination);

public sealed record DestinationView(string Type, string Last4);

/// <summary>A withdrawal: the Transfer shape plus where it went (last four digits only).</summary>
public sealed record WithdrawalView(
    Guid Id, string Status, Money Amount, Guid DebitAccountId, Guid CreditAccountId, string Code,
    JsonElement? Metadata, DateTimeOffset CreatedAt, DestinationView Destination);

/// <summary>Pays out from a wallet to a bank account or mobile-money number; the destination is stored encrypted.</summary>
public static partial class Withdraw
{
    internal static async Task<Results<StoredResult<WithdrawalView>, ValidationProblem, ProblemHttpResult>> HandleAsync(
        WithdrawRequest body, HttpContext http, LedgerBatcher ledger, AccountDirectory accounts, IdempotencyStore idempotency,
        IPaymentProvider provider, DestinationProtector protector, ILoggerFactory loggers)
    {
        // The shape is checked by the built-in validation before this runs; the rules here: an id that is not empty, a positive
        // amount in a currency we handle, and the fields the destination's type needs.
        var validation = new Validation();
        validation.Id(body.AccountId, "accountId");
        validation.Money(body.Amount, "amount");
        var destination = body.Destination!;
        string? plaintext = null;
        switch (destination.Type)
        {
            case "bank":
                validation.Require(destination.AccountNumber is { } number && BankAccountNumber().IsMatch(number),
                    "destination.accountNumber", "4 to 34 digits or capital letters.");
                validation.Require(destination.RoutingNumber is { } routing && RoutingNumber().IsMatch(routing),
                    "destination.routingNumber", "6 to 11 digits.");
                plaintext = JsonSerializer.Serialize(new { destination.AccountNumber, destination.RoutingNumber }, ApiJson.Options);
                break;
            case "mobileMoney":
                validation.Require(destination.PhoneNumber is { } phone && PhoneNumber().IsMatch(phone),
                    "destination.phoneNumber", "An international number: + and 8 to 15 digits.");
                plaintext = JsonSerializer.Serialize(new { destination.PhoneNumber }, ApiJson.Options);
                break;
            default:
                throw new System.Diagnostics.UnreachableException("The built-in validation admits bank and mobileMoney only.");
        }

        if (!validation.IsValid)
        {
            return MoneyEndpoints.Invalid(validation);
        }

        var userId = http.User.GetUserId();
        var amount = body.Amount!;
        var last4 = (destination!.Type == "bank" ? destination.AccountNumber! : destination.PhoneNumber!)[^4..];
        var destinationView = new DestinationView(destination.Type!, last4);
        // The body is hashed for idempotency after the secret parts are reduced to a hash-safe form: the
        // key table must not hold account numbers in the clear either.
        var hashed = new { body.AccountId, body.Amount, destination.Type, Destination = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plaintext!))) };
        LedgerResult? outcome = null;
        var response = await Idempotent.ExecuteAsync<WithdrawalView>(http, hashed, async claim =>
        {
            var wallet = await MoneyEndpoints.MyWalletAsync(accounts, body.AccountId, userId, http.RequestAborted);
            if (wallet is null || wallet.Currency != amount.Currency)
            {
                return await MoneyEndpoints.FinishAsync(idempotency, claim, MoneyEndpoints.WalletProblem(wallet, amount), http.RequestAborted);
            }

            var clearing = await accounts.ClearingAccountAsync(provider.Name, amount.Currency, http.RequestAborted);
            var transferId = Guid.CreateVersion7();
            var (keyId, ciphertext) = protector.Encrypt(plaintext!, transferId);
            var result = await ledger.SubmitAsync(new LedgerRequest
            {
                Operation = LedgerOperation.Transfer,
                TransferId = transferId,
                DebitAccountId = wallet.Id,
                CreditAccountId = clearing,
                Amount = amount.Amount,
                Currency = amount.Currency,
                Code = "withdrawal",
                Metadata = JsonSerializer.Serialize(new { provider = provider.Name, destinationType = destination.Type, last4 }, ApiJson.Options),
                InitiatedBy = userId,
                Idempotency = claim,
                Destination = new WithdrawalDestination { UserId = userId, Type = destination.Type!, KeyId = keyId, Ciphertext = ciphertext, Last4 = last4 },
                Render = r => r.Outcome == LedgerOutcome.Created
                    ? ApiResponses.Ok(201, new WithdrawalView(r.Transfer!.Id, r.Transfer.Status, r.Transfer.Amount, r.Transfer.DebitAccountId,
                        r.Transfer.CreditAccountId, r.Transfer.Code, r.Transfer.Metadata, r.Transfer.CreatedAt, destinationView))
                    : ApiResponses.Failure(r),
            });
            outcome = result;
            return result.Response ?? ApiResponses.Failure(result);
        });

        if (outcome is { Outcome: LedgerOutcome.Created, Transfer: { } posted })
        {
            await PayOutAsync(ledger, provider, posted, destination.Type!, plaintext!, loggers.CreateLogger(typeof(Withdraw)));
        }

        return response;
    }

    /// <summary>Sends the posted withdrawal to the provider; a payout the provider refuses is reversed by a new transfer.</summary>
    private static async Task PayOutAsync(LedgerBatcher ledger, IPaymentProvider provider, TransferView withdrawal, string type, string destination, ILogger logger)
    {
        var payout = await provider.PayoutAsync(type, destination, withdrawal.Amount, CancellationToken.None);
        if (payout.Status != ChargeStatus.Declined)
        {
            return;
        }

        logger.LogWarning("Payout of withdrawal {TransferId} declined: {Reason}; reversing", withdrawal.Id, payout.DeclineReason);
        await ledger.SubmitAsync(new LedgerRequest
        {
            Operation = LedgerOperation.Transfer,
            TransferId = Guid.CreateVersion7(),
            DebitAccountId = withdrawal.CreditAccountId,
            CreditAccountId = withdrawal.DebitAccountId,
            Amount = withdrawal.Amount.Amount,
            Currency = withdrawal.Amount.Currency,
            Code = "withdrawal-reversal",
            Metadata = JsonSerializer.Serialize(new { reversalOf = withdrawal.Id, reason = payout.DeclineReason }, ApiJson.Options),
        });
    }

    [GeneratedRegex("^[0-9A-Z]{4,34}$")]
    private static partial Regex BankAccountNumber();

    [GeneratedRegex("^[0-9]{6,11}$")]
    private static partial Regex RoutingNumber();

    [GeneratedRegex(@"^\+?[0-9]{8,15}$")]
    private static partial Regex PhoneNumber();
}
