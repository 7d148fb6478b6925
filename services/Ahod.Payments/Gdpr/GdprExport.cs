using Ahod.Payments.Data;
using Ahod.Payments.Ledger;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Payments.Gdpr;

/// <summary>Everything Payments holds about a user (GDPR art. 15/20), for Identity's export aggregator.</summary>
public static class GdprExport
{
    public sealed record Export(string Service, ExportData Data);

    public sealed record ExportData(
        IReadOnlyList<AccountView> Accounts,
        IReadOnlyList<TransferView> Transfers,
        IReadOnlyList<DestinationExport> WithdrawalDestinations);

    /// <summary>Destinations are exported as the user sees them elsewhere: type and last four digits.</summary>
    public sealed record DestinationExport(Guid TransferId, string Type, string Last4, DateTimeOffset CreatedAt);

    internal static async Task<Ok<Export>> ExportAsync(Guid userId, PaymentsDbContext db, CancellationToken ct)
    {
        var accounts = await db.Accounts.AsNoTracking().Where(a => a.OwnerType == "user" && a.OwnerId == userId).ToListAsync(ct);
        var ids = accounts.Select(a => a.Id).ToList();
        var transfers = await db.Transfers.AsNoTracking()
            .Where(t => ids.Contains(t.DebitAccountId) || ids.Contains(t.CreditAccountId))
            .OrderBy(t => t.CreatedAt)
            .ToListAsync(ct);
        var destinations = await db.WithdrawalDestinations.AsNoTracking().Where(d => d.UserId == userId)
            .Select(d => new DestinationExport(d.TransferId, d.Type, d.Last4, d.CreatedAt))
            .ToListAsync(ct);
        return TypedResults.Ok(new Export("payments", new ExportData(
            accounts.Select(ContractViews.ToAccountView).ToList(),
            transfers.Select(ContractViews.ToTransferView).ToList(),
            destinations)));
    }
}
