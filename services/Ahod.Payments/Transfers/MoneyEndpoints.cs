using Ahod.Payments.Accounts;
using Ahod.Payments.Data;
using Ahod.Payments.Idempotency;
using Ahod.Payments.Ledger;

namespace Ahod.Payments.Transfers;

/// <summary>
/// Deposit, withdraw and send: the public endpoints that move money, each under an <c>Idempotency-Key</c>; one file per
/// use case (<see cref="Deposit"/>, <see cref="Withdraw"/>, <see cref="Send"/>), the checks they share here.
/// </summary>
public static class MoneyEndpoints
{
    public static RouteGroupBuilder MapMoneyEndpoints(this RouteGroupBuilder api)
    {
        var money = api.MapGroup("").RequireVerifiedEmail().RequireIdempotencyKey(Idempotent.KeyDescription).ProducesProblem(StatusCodes.Status403Forbidden);
        money.MapPost("/deposit", Deposit.HandleAsync)
            .WithName("Deposit")
            .WithSummary("Fund a wallet from a card, bank or mobile-money source")
            .WithDescription("The source is a provider token (sandbox: `tok_sandbox_success` settles, `tok_sandbox_decline` is declined " +
                "with 422, `tok_sandbox_slow` answers 202 and posts later). The transfer answered keeps its id while it moves from pending to posted.")
            .Produces<TransferView>(StatusCodes.Status202Accepted);
        money.MapPost("/withdraw", Withdraw.HandleAsync)
            .WithName("Withdraw")
            .WithSummary("Pay out from a wallet to a bank account or mobile-money number")
            .WithDescription("The destination is stored encrypted; the answer shows its last four digits only. Refused with 422 when the wallet " +
                "does not hold enough.");
        money.MapPost("/send", Send.HandleAsync)
            .WithName("SendMoney")
            .WithSummary("Send money to another user")
            .WithDescription("From one of my wallets to the recipient's wallet in the same currency (422 when they have none, when the " +
                "wallet does not hold enough, or when sending to yourself).");
        return api;
    }

    // The verified-email policy (403) and the Idempotency-Key header (400) are checked before the handler runs, validation
    // (400) first thing in it: none of them consumes the Idempotency-Key.
    internal static ValidationProblem Invalid(Validation validation) =>
        TypedResults.ValidationProblem(validation.Errors, title: "The request is invalid.");

    internal static async Task<Account?> MyWalletAsync(AccountDirectory accounts, Guid accountId, Guid userId, CancellationToken ct) =>
        await accounts.FindAsync(accountId, ct) is { Kind: AccountKinds.Wallet, OwnerType: "user" } wallet && wallet.OwnerId == userId
            ? wallet
            : null;

    internal static StoredResponse WalletProblem(Account? wallet, Money amount) => wallet is null
        ? ApiResponses.Problem(404, "Account not found.", "No such wallet of yours.")
        : ApiResponses.Problem(422, "Currency mismatch.", $"The wallet holds {wallet.Currency}, the amount is in {amount.Currency}.", LedgerReasons.CurrencyMismatch);

    internal static async Task<StoredResponse> FinishAsync(IdempotencyStore store, IdempotencyClaim claim, StoredResponse response, CancellationToken ct)
    {
        await store.CompleteAsync(claim, response, ct);
        return response;
    }

    internal static async Task<StoredResponse> SubmitAsync(LedgerBatcher ledger, LedgerRequest request)
    {
        var result = await ledger.SubmitAsync(request);
        return result.Response ?? ApiResponses.Failure(result);
    }
}
