using System.Text.Json;
using System.Text.RegularExpressions;
using Ahod.Payments.Accounts;
using Ahod.Payments.Data;
using Ahod.Payments.Idempotency;
using Ahod.Payments.Ledger;
using Ahod.Payments.Providers;
using Ahod.Payments.Security;
using Ahod.ServiceDefaults;
using Microsoft.Extensions.Options;

namespace Ahod.Payments.Transfers;

/// <summary>Deposit, withdraw and send: the public endpoints that move money, each under an Idempotency-Key.</summary>
public static partial class MoneyEndpoints
{
    public sealed record PaymentSource(string? Type, string? Token);

    public sealed record DepositRequest(Guid AccountId, Money? Amount, PaymentSource? Source);

    public sealed record PayoutDestination(string? Type, string? AccountNumber, string? RoutingNumber, string? PhoneNumber);

    public sealed record WithdrawRequest(Guid AccountId, Money? Amount, PayoutDestination? Destination);

    public sealed record SendRequest(Guid FromAccountId, Guid ToUserId, Money? Amount, string? Memo);

    public sealed record DestinationView(string Type, string Last4);

    /// <summary>A withdrawal: the Transfer shape plus where it went (last four digits only).</summary>
    public sealed record WithdrawalView(
        Guid Id, string Status, Money Amount, Guid DebitAccountId, Guid CreditAccountId, string Code,
        JsonElement? Metadata, DateTimeOffset CreatedAt, DestinationView Destination);

    public static RouteGroupBuilder MapMoneyEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/deposit", DepositAsync);
        api.MapPost("/withdraw", WithdrawAsync);
        api.MapPost("/send", SendAsync);
        return api;
    }

    internal static async Task<IResult> DepositAsync(
        DepositRequest body, HttpContext http, LedgerBatcher ledger, AccountDirectory accounts, IdempotencyStore idempotency,
        IPaymentProvider provider, IOptions<PaymentsOptions> options, TimeProvider time)
    {
        var validation = new Validation();
        validation.Id(body.AccountId, "accountId");
        validation.Money(body.Amount, "amount");
        validation.Require(body.Source is { Type: "card" or "bank" or "mobileMoney" }, "source.type", "Must be card, bank or mobileMoney.");
        validation.Require(!string.IsNullOrWhiteSpace(body.Source?.Token) && body.Source.Token.Length <= 255, "source.token",
            "Required: the provider's token for the source (card numbers are never accepted).");
        if (Refuse(http, validation) is { } refused)
        {
            return refused;
        }

        var userId = http.User.GetUserId();
        var amount = body.Amount!;
        return await Idempotent.ExecuteAsync(http, body, async claim =>
        {
            var wallet = await MyWalletAsync(accounts, body.AccountId, userId, http.RequestAborted);
            if (wallet is null || wallet.Currency != amount.Currency)
            {
                return await FinishAsync(idempotency, claim, WalletProblem(wallet, amount), http.RequestAborted);
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

            return await SubmitAsync(ledger, new LedgerRequest
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

    internal static async Task<IResult> WithdrawAsync(
        WithdrawRequest body, HttpContext http, LedgerBatcher ledger, AccountDirectory accounts, IdempotencyStore idempotency,
        IPaymentProvider provider, DestinationProtector protector, ILoggerFactory loggers)
    {
        var validation = new Validation();
        validation.Id(body.AccountId, "accountId");
        validation.Money(body.Amount, "amount");
        var destination = body.Destination;
        string? plaintext = null;
        switch (destination?.Type)
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
                validation.Add("destination.type", "Must be bank or mobileMoney.");
                break;
        }

        if (Refuse(http, validation) is { } refused)
        {
            return refused;
        }

        var userId = http.User.GetUserId();
        var amount = body.Amount!;
        var last4 = (destination!.Type == "bank" ? destination.AccountNumber! : destination.PhoneNumber!)[^4..];
        var destinationView = new DestinationView(destination.Type!, last4);
        // The body is hashed for idempotency after the secret parts are reduced to a hash-safe form: the
        // key table must not hold account numbers in the clear either.
        var hashed = new { body.AccountId, body.Amount, destination.Type, Destination = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(plaintext!))) };
        LedgerResult? outcome = null;
        var response = await Idempotent.ExecuteAsync(http, hashed, async claim =>
        {
            var wallet = await MyWalletAsync(accounts, body.AccountId, userId, http.RequestAborted);
            if (wallet is null || wallet.Currency != amount.Currency)
            {
                return await FinishAsync(idempotency, claim, WalletProblem(wallet, amount), http.RequestAborted);
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
            await PayOutAsync(ledger, provider, posted, destination.Type!, plaintext!, loggers.CreateLogger(typeof(MoneyEndpoints)));
        }

        return response;
    }

    internal static async Task<IResult> SendAsync(
        SendRequest body, HttpContext http, LedgerBatcher ledger, AccountDirectory accounts, IdempotencyStore idempotency)
    {
        var validation = new Validation();
        validation.Id(body.FromAccountId, "fromAccountId");
        validation.Id(body.ToUserId, "toUserId");
        validation.Money(body.Amount, "amount");
        validation.Require(body.Memo is null || body.Memo.Length <= 280, "memo", "At most 280 characters.");
        if (Refuse(http, validation) is { } refused)
        {
            return refused;
        }

        var userId = http.User.GetUserId();
        if (body.ToUserId == userId)
        {
            return TypedResults.Problem(statusCode: 422, title: "Cannot send to yourself.",
                detail: "The recipient is the sender; move money between your own wallets is not a payment.");
        }

        var amount = body.Amount!;
        return await Idempotent.ExecuteAsync(http, body, async claim =>
        {
            var wallet = await MyWalletAsync(accounts, body.FromAccountId, userId, http.RequestAborted);
            if (wallet is null || wallet.Currency != amount.Currency)
            {
                return await FinishAsync(idempotency, claim, WalletProblem(wallet, amount), http.RequestAborted);
            }

            var recipient = await accounts.FindByOwnerAsync(AccountKinds.Wallet, "user", body.ToUserId, amount.Currency, http.RequestAborted);
            if (recipient is null)
            {
                return await FinishAsync(idempotency, claim, ApiResponses.Problem(422, "Recipient cannot receive this currency.",
                    $"The recipient has no {amount.Currency} wallet.", "recipient_wallet_missing"), http.RequestAborted);
            }

            return await SubmitAsync(ledger, new LedgerRequest
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

    /// <summary>Validation first (400, nothing stored), then the email rule (403): neither consumes the key.</summary>
    private static IResult? Refuse(HttpContext http, Validation validation)
    {
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors, title: "The request is invalid.");
        }

        return http.User.FindFirst("email_verified")?.Value == "true"
            ? null
            : TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Email not verified.",
                detail: "Verify your email address before moving money.");
    }

    private static async Task<Account?> MyWalletAsync(AccountDirectory accounts, Guid accountId, Guid userId, CancellationToken ct) =>
        await accounts.FindAsync(accountId, ct) is { Kind: AccountKinds.Wallet, OwnerType: "user" } wallet && wallet.OwnerId == userId
            ? wallet
            : null;

    private static StoredResponse WalletProblem(Account? wallet, Money amount) => wallet is null
        ? ApiResponses.Problem(404, "Account not found.", "No such wallet of yours.")
        : ApiResponses.Problem(422, "Currency mismatch.", $"The wallet holds {wallet.Currency}, the amount is in {amount.Currency}.", LedgerReasons.CurrencyMismatch);

    private static async Task<StoredResponse> FinishAsync(IdempotencyStore store, IdempotencyClaim claim, StoredResponse response, CancellationToken ct)
    {
        await store.CompleteAsync(claim, response, ct);
        return response;
    }

    private static async Task<StoredResponse> SubmitAsync(LedgerBatcher ledger, LedgerRequest request)
    {
        var result = await ledger.SubmitAsync(request);
        return result.Response ?? ApiResponses.Failure(result);
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
