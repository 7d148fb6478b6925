using Ahod.Payments.Data;
using Ahod.ServiceDefaults;

namespace Ahod.Payments.Accounts;

public static class AccountsEndpoints
{
    public sealed record OpenWalletRequest(string? Currency);

    public static RouteGroupBuilder MapAccountsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/accounts", ListAsync).WithName("ListWallets")
            .WithSummary("My wallets")
            .WithDescription("Each with `available` (what can be spent now: posted balance less money held) and `pending` (on its way in).");
        api.MapPost("/accounts", OpenAsync).WithName("OpenWallet")
            .WithSummary("Open a wallet in another currency")
            .WithDescription("201 with the new wallet, or 200 with the one I already have in that currency.");
        return api;
    }

    internal static async Task<Ok<List<WalletView>>> ListAsync(HttpContext http, AccountDirectory accounts) =>
        TypedResults.Ok((await accounts.WalletsOfAsync(http.User.GetUserId(), http.RequestAborted)).Select(ContractViews.ToWalletView).ToList());

    internal static async Task<Results<Created<WalletView>, Ok<WalletView>, ValidationProblem>> OpenAsync(
        OpenWalletRequest body, HttpContext http, AccountDirectory accounts)
    {
        if (!Currencies.IsKnown(body.Currency))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["currency"] = ["Must be a supported ISO 4217 code in upper case, e.g. USD."],
            });
        }

        var (account, created) = await accounts.OpenAsync(AccountKinds.Wallet, "user", http.User.GetUserId(), body.Currency!, http.RequestAborted);
        var view = ContractViews.ToWalletView(account);
        return created ? TypedResults.Created($"/api/payments/accounts/{account.Id}", view) : TypedResults.Ok(view);
    }
}
