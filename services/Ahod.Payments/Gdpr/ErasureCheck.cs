using System.Globalization;
using Ahod.Payments.Accounts;

namespace Ahod.Payments.Gdpr;

/// <summary>
/// Identity's question before it erases a user (GDPR art. 17): which of their wallets still hold money? Erasure cuts
/// the wallets loose from the person, so it is refused until every wallet is empty, pending money included.
/// </summary>
public static class ErasureCheck
{
    public sealed record Blocker(string Kind, Guid Id, string Detail, Money Balance, Money Pending);

    public sealed record Check(IReadOnlyList<Blocker> Blockers);

    internal static async Task<Ok<Check>> CheckAsync(Guid userId, AccountDirectory accounts, CancellationToken ct)
    {
        var wallets = await accounts.WalletsOfAsync(userId, ct);
        var blockers = wallets
            .Where(w => w.CreditsPosted != w.DebitsPosted || w.CreditsPending != 0 || w.DebitsPending != 0)
            .Select(w =>
            {
                var balance = new Money(w.CreditsPosted - w.DebitsPosted, w.Currency);
                var pending = new Money(w.CreditsPending - w.DebitsPending, w.Currency);
                return new Blocker("wallet", w.Id,
                    string.Create(CultureInfo.InvariantCulture,
                        $"Your {w.Currency} wallet {w.Id} holds {balance.Amount} minor units of {w.Currency} ({pending.Amount} pending)."),
                    balance, pending);
            })
            .ToList();
        return TypedResults.Ok(new Check(blockers));
    }
}
