using System.Globalization;
using Ahod.Payments.Data;
using Ahod.Payments.Ledger;
using Ahod.ServiceDefaults;
using Microsoft.EntityFrameworkCore;

namespace Ahod.Payments.Transfers;

public static class HistoryEndpoints
{
    /// <summary>One line of my history: signed from my wallet's point of view (credit +, debit −).</summary>
    public sealed record HistoryEntry(
        string Id, Guid TransferId, Guid AccountId, Money Amount, bool Pending, Money BalanceAfter, string Code, string Status, DateTimeOffset CreatedAt);

    public static RouteGroupBuilder MapHistoryEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/histories", HistoryAsync).WithName("History")
            .WithSummary("My ledger entries, newest first")
            .WithDescription("Cursor paged (`limit` 1-100, default 20; `cursor` from the previous page's `nextCursor`); `accountId` narrows to one " +
                "wallet. Amounts are signed from the wallet's side, each with the balance after it. A transfer that settles later is one " +
                "row under the id the client was given, pending and then posted.");
        api.MapGet("/transfers/{id:guid}", GetTransferAsync).WithName("GetTransfer")
            .WithSummary("One transfer")
            .WithDescription("Only when I own the debited or the credited wallet; anyone else gets 404.");
        return api;
    }

    internal static async Task<Results<Ok<Page<HistoryEntry>>, ValidationProblem>> HistoryAsync(
        HttpContext http, PaymentsDbContext db, int? limit, string? cursor, Guid? accountId)
    {
        var validation = new Validation();
        var size = validation.Limit(limit);
        var before = validation.Cursor<long>(cursor, static (string text, out long value) =>
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value));
        if (!validation.IsValid)
        {
            return TypedResults.ValidationProblem(validation.Errors);
        }

        var userId = http.User.GetUserId();
        var wallets = db.Accounts.Where(a => a.OwnerType == "user" && a.OwnerId == userId && a.Kind == AccountKinds.Wallet);
        if (accountId is { } only)
        {
            wallets = wallets.Where(a => a.Id == only);
        }

        var query =
            from e in db.Entries
            join a in wallets on e.AccountId equals a.Id
            join t in db.Transfers on e.TransferId equals t.Id
            where before == null || e.Id < before
            // A hold (a slow deposit, an escrow) is one transfer to the client, under the id it was given: its reservation
            // while pending (or as it ended, voided or expired), then its posting; never the release in between.
            where !e.Pending || (e.Amount > 0 && t.Status != TransferStatuses.Posted)
            orderby e.Id descending
            select new
            {
                e.Id, TransferId = t.PendingId ?? t.Id, e.AccountId, e.Side, e.Pending, e.Amount, e.BalanceAfter, e.CreatedAt, a.Currency, t.Code, t.Status,
            };
        var rows = await query.AsNoTracking().Take(size + 1).ToListAsync(http.RequestAborted);

        var items = rows.Select(r => new HistoryEntry(
            r.Id.ToString(CultureInfo.InvariantCulture), r.TransferId, r.AccountId,
            new Money(r.Side == "C" ? r.Amount : -r.Amount, r.Currency), r.Pending, new Money(r.BalanceAfter, r.Currency),
            r.Code, r.Status, r.CreatedAt)).ToList();
        return TypedResults.Ok(Paging.From(items, size, e => e.Id));
    }

    /// <summary>Only a party (owner of the debited or credited wallet) sees a transfer; anyone else gets 404, not 403.</summary>
    internal static async Task<Results<Ok<TransferView>, NotFound>> GetTransferAsync(Guid id, HttpContext http, PaymentsDbContext db)
    {
        var userId = http.User.GetUserId();
        var transfer = await db.Transfers.AsNoTracking()
            .Where(t => t.Id == id && db.Accounts.Any(a =>
                (a.Id == t.DebitAccountId || a.Id == t.CreditAccountId) && a.OwnerType == "user" && a.OwnerId == userId))
            .FirstOrDefaultAsync(http.RequestAborted);
        return transfer is null ? TypedResults.NotFound() : TypedResults.Ok(ContractViews.ToTransferView(transfer));
    }
}
