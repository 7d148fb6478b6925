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
        api.MapGet("/histories", HistoryAsync);
        api.MapGet("/transfers/{id:guid}", GetTransferAsync);
        return api;
    }

    internal static async Task<Results<Ok<Page<HistoryEntry>>, ValidationProblem>> HistoryAsync(
        HttpContext http, PaymentsDbContext db, int? limit, string? cursor, Guid? accountId)
    {
        var size = limit ?? 20;
        long? before = null;
        var errors = new Dictionary<string, string[]>();
        if (size is < 1 or > 100)
        {
            errors["limit"] = ["Between 1 and 100."];
        }

        if (cursor is not null)
        {
            if (long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                before = parsed;
            }
            else
            {
                errors["cursor"] = ["Not a cursor returned by this endpoint."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
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
            orderby e.Id descending
            select new { e.Id, e.TransferId, e.AccountId, e.Side, e.Pending, e.Amount, e.BalanceAfter, e.CreatedAt, a.Currency, t.Code, t.Status };
        var rows = await query.AsNoTracking().Take(size + 1).ToListAsync(http.RequestAborted);

        var items = rows.Take(size).Select(r => new HistoryEntry(
            r.Id.ToString(CultureInfo.InvariantCulture), r.TransferId, r.AccountId,
            new Money(r.Side == "C" ? r.Amount : -r.Amount, r.Currency), r.Pending, new Money(r.BalanceAfter, r.Currency),
            r.Code, r.Status, r.CreatedAt)).ToList();
        var next = rows.Count > size ? items[^1].Id : null;
        return TypedResults.Ok(new Page<HistoryEntry>(items, next));
    }

    /// <summary>Only a party (owner of the debited or credited wallet) sees a transfer; anyone else gets 404, not 403.</summary>
    internal static async Task<Results<Ok<TransferView>, NotFound>> GetTransferAsync(Guid id, HttpContext http, PaymentsDbContext db)
    {
        var userId = http.User.GetUserId();
        var transfer = await db.Transfers.AsNoTracking()
            .Where(t => t.Id == id && db.Accounts.Any(a =>
                (a.Id == t.DebitAccountId || a.Id == t.CreditAccountId) && a.OwnerType == "user" && a.OwnerId == userId))
            .FirstOrDefaultAsync(http.RequestAborted);
        return transfer is null ? TypedResults.NotFound() : TypedResults.Ok(TransferView.From(transfer));
    }
}
