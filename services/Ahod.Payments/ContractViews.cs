using System.Text.Json;
using Ahod.Payments.Data;

namespace Ahod.Payments;

/// <summary>The contract's account shapes (Ahod.Contracts.Payments) from the ledger's rows.</summary>
internal static class ContractViews
{
    public static WalletView ToWalletView(Account a) => new(
        a.Id, a.Currency,
        new Money(a.CreditsPosted - a.DebitsPosted - a.DebitsPending, a.Currency),
        new Money(a.CreditsPending, a.Currency),
        a.Status);

    public static AccountView ToAccountView(Account a) => new(
        a.Id, a.Kind, a.OwnerType, a.OwnerId, a.Provider, a.Currency, a.Status,
        new Money(a.CreditsPosted - a.DebitsPosted, a.Currency),
        new Money(a.CreditsPosted - a.DebitsPosted - a.DebitsPending, a.Currency),
        new Money(a.DebitsPending, a.Currency),
        new Money(a.CreditsPending, a.Currency));

    public static TransferView ToTransferView(Transfer t) => new(
        t.Id, t.Status, new Money(t.Amount, t.Currency), t.DebitAccountId, t.CreditAccountId, t.Code, t.PendingId, t.TimeoutAt,
        ParseMetadata(t.Metadata), t.CreatedAt);

    public static JsonElement? ParseMetadata(string? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(metadata);
        return document.RootElement.Clone();
    }
}
