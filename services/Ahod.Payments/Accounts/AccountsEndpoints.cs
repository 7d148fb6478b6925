using Ahod.Payments.Data;
using Ahod.ServiceDefaults;

namespace Ahod.Payments.Accounts;

public static class AccountsEndpoints
{
    public sealed record OpenWalletRequest(string? Currency);

    public static RouteGroupBuilder MapAccountsEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/accounts", ListAsync);
        api.MapPost("/accounts", OpenAsync);
        return api;
    }

    internal static async Task<Ok<List<WalletView>>> ListAsync(HttpContext http, AccountDirectory accounts) =>
        TypedResults.Ok((await accounts.WalletsOfAsync(http.User.GetUserId(), http.RequestAborted)).Select(WalletView.From).ToList());

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
        var view = WalletView.From(account);
        return created ? TypedResults.Created($"/api/payments/accounts/{account.Id}", view) : TypedResults.Ok(view);
    }
}
