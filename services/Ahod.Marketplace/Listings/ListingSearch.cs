using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Ahod.Marketplace.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Ahod.Marketplace.Listings;

/// <summary>
/// GET /api/listings: PostgreSQL full text (<c>websearch_to_tsquery</c> against the weighted <c>search_vector</c>,
/// ranked with <c>ts_rank_cd</c>), filters, four sorts, and keyset cursors that carry the sort key and the id, so a
/// page never repeats or skips a listing whatever the sort (ties broken by id).
/// </summary>
public static class ListingSearch
{
    public static readonly string[] Sorts = ["relevance", "newest", "price_asc", "price_desc"];

    private const string AttributePrefix = "attr.";

    /// <summary>The parsed query: what the SQL is built from (the benchmark builds the same SQL for pgbench).</summary>
    internal sealed record Query(
        string? Text, string? Kind, string? Category, string? AttributesJson, long? MinPrice, long? MaxPrice, string? Currency,
        string? City, Guid? OwnerId, string Status, string Sort, int Limit, Cursor? After);

    internal readonly record struct Cursor(string Sort, string Key, Guid Id);

    internal static async Task<Results<Ok<Page<ListingResponse>>, ValidationProblem>> SearchAsync(
        string? q, string? kind, string? category, long? minPrice, long? maxPrice, string? currency, string? city, Guid? ownerId,
        string? status, string? sort, int? limit, string? cursor, ClaimsPrincipal user, HttpRequest http, MarketplaceDbContext db,
        CancellationToken cancellationToken)
    {
        var validation = new Validation();
        var text = string.IsNullOrWhiteSpace(q) ? null : q.Trim();
        validation.Require(text is null || text.Length <= 200, "q", "At most 200 characters.");
        validation.Require(kind is null || Categories.Kinds.Contains(kind), "kind", "Must be sale, rent, job or service.");
        Category? cat = null;
        validation.Require(category is null || Categories.All.TryGetValue(category, out cat), "category", $"Must be one of: {string.Join(", ", Categories.All.Keys)}.");
        validation.Require(minPrice is null or >= 0, "minPrice", "Must not be negative.");
        validation.Require(maxPrice is null or >= 0, "maxPrice", "Must not be negative.");
        validation.Require(minPrice is null || maxPrice is null || minPrice <= maxPrice, "maxPrice", "Must not be below minPrice.");
        validation.Require(currency is null || Currencies.IsKnown(currency), "currency", "Must be a supported ISO 4217 code in upper case.");
        validation.Require(city is null || city.Trim().Length is >= 1 and <= 100, "city", "1 to 100 characters.");
        var effectiveSort = sort ?? (text is null ? "newest" : "relevance");
        validation.Require(Sorts.Contains(effectiveSort), "sort", "Must be relevance, newest, price_asc or price_desc.");
        validation.Require(effectiveSort != "relevance" || text is not null, "sort", "relevance needs q.");

        // Drafts and closed listings are listed only to their owner, who asks for them by status.
        var isOwner = ownerId is { } o && user.TryGetUserId(out var caller) && caller == o;
        var listStatus = status ?? ListingStatuses.Published;
        validation.Require(listStatus is ListingStatuses.Published or ListingStatuses.Draft or ListingStatuses.Closed, "status", "Must be published, draft or closed.");
        validation.Require(listStatus == ListingStatuses.Published || isOwner, "status", "Only your own listings (ownerId = you) can be listed by draft or closed.");

        var attributes = ParseAttributes(http.Query, cat, validation);
        var take = validation.Limit(limit);
        var after = validation.Cursor<Cursor>(cursor, TryParseCursor);
        if (after is { } a && a.Sort != effectiveSort)
        {
            validation.Add("cursor", "This cursor belongs to another sort.");
        }

        if (!validation.IsValid)
        {
            return Problems.Invalid(validation);
        }

        if (listStatus != ListingStatuses.Published)
        {
            http.HttpContext.Response.Headers.CacheControl = "no-store";
        }

        var query = new Query(text, kind, category, attributes, minPrice, maxPrice, currency, city?.Trim(), ownerId, listStatus,
            effectiveSort, take, after);
        var (sql, parameters) = BuildSql(query);
        var rows = await ReadAsync(db, sql, parameters, cancellationToken);
        var page = rows.Count > take ? rows[..take] : rows;
        var ids = page.Select(r => r.Listing.Id).ToArray();
        var images = (await db.Images.AsNoTracking().Where(i => ids.Contains(i.ListingId)).ToListAsync(cancellationToken)).ToLookup(i => i.ListingId);
        var items = page.Select(r => ListingResponse.From(r.Listing, images[r.Listing.Id])).ToList();
        string? next = rows.Count > take ? EncodeCursor(new Cursor(effectiveSort, page[^1].SortKey, page[^1].Listing.Id)) : null;
        return TypedResults.Ok(new Page<ListingResponse>(items, next));
    }

    /// <summary>
    /// <c>attr.&lt;name&gt;=&lt;value&gt;</c> parameters as one JSON object for <c>attributes @&gt; $json</c> (GIN, jsonb_path_ops).
    /// Names are checked against the category's attributes, or against every category's when none is given.
    /// </summary>
    private static string? ParseAttributes(IQueryCollection query, Category? category, Validation validation)
    {
        var filter = new JsonObject();
        foreach (var (key, values) in query.Where(p => p.Key.StartsWith(AttributePrefix, StringComparison.Ordinal)))
        {
            var name = key[AttributePrefix.Length..];
            var definitions = (category is null ? Categories.All.Values : [category]).SelectMany(c => c.Attributes).Where(d => d.Name == name).ToList();
            if (definitions.Count == 0)
            {
                validation.Add(key, category is null ? "No category has this attribute." : $"{category.Name} has no such attribute.");
                continue;
            }

            if (values.Count != 1 || definitions.Select(d => Categories.ParseFilter(d, values[0]!)).FirstOrDefault(v => v is not null) is not { } value)
            {
                validation.Add(key, definitions[0].Describe());
                continue;
            }

            filter[name] = value;
        }

        return filter.Count == 0 ? null : filter.ToJsonString();
    }

    internal static (string Sql, List<NpgsqlParameter> Parameters) BuildSql(Query query)
    {
        var parameters = new List<NpgsqlParameter>();
        string P(object value, NpgsqlDbType? type = null)
        {
            var parameter = type is { } t ? new NpgsqlParameter { Value = value, NpgsqlDbType = t } : new NpgsqlParameter { Value = value };
            parameters.Add(parameter);
            return "$" + parameters.Count;
        }

        var where = new List<string> { "l.status = " + P(query.Status) };
        var rank = "";
        var from = "listings l";
        if (query.Text is not null)
        {
            from += ", websearch_to_tsquery('english', " + P(query.Text) + ") query";
            where.Add("l.search_vector @@ query");
            rank = "ts_rank_cd(l.search_vector, query)";
        }

        if (query.Kind is not null) where.Add("l.kind = " + P(query.Kind));
        if (query.Category is not null) where.Add("l.category = " + P(query.Category));
        if (query.AttributesJson is not null) where.Add("l.attributes @> " + P(query.AttributesJson, NpgsqlDbType.Jsonb));
        if (query.MinPrice is { } min) where.Add("l.price_amount >= " + P(min));
        if (query.MaxPrice is { } max) where.Add("l.price_amount <= " + P(max));
        if (query.Currency is not null) where.Add("l.currency = " + P(query.Currency));
        if (query.City is not null) where.Add("lower(l.city) = lower(" + P(query.City) + ")");
        if (query.OwnerId is { } owner) where.Add("l.owner_id = " + P(owner));

        // Each sort orders by (key, id) in one direction, so the cursor condition is one row comparison.
        var (key, descending) = query.Sort switch
        {
            "relevance" => (rank, true),
            "price_asc" => ("l.price_amount", false),
            "price_desc" => ("l.price_amount", true),
            _ => ("l.created_at", true),
        };
        if (query.After is { } after)
        {
            object value = query.Sort switch
            {
                "relevance" => float.Parse(after.Key, CultureInfo.InvariantCulture),
                "price_asc" or "price_desc" => long.Parse(after.Key, CultureInfo.InvariantCulture),
                _ => new DateTime(long.Parse(after.Key, CultureInfo.InvariantCulture), DateTimeKind.Utc),
            };
            where.Add($"({key}, l.id) {(descending ? "<" : ">")} ({P(value)}, {P(after.Id)})");
        }

        var direction = descending ? "DESC" : "ASC";
        var sql = new StringBuilder()
            .Append("SELECT l.id, l.owner_id, l.kind, l.category, l.title, l.description, l.price_amount, l.currency, l.price_unit, ")
            .Append("l.city, l.region, l.country, l.attributes::text, l.status, l.rating_sum, l.rating_count, l.created_at, l.updated_at, ")
            .Append(query.Text is null ? "0::real" : rank).Append(" AS rank")
            .Append(" FROM ").Append(from)
            .Append(" WHERE ").AppendJoin(" AND ", where)
            .Append($" ORDER BY {key} {direction}, l.id {direction} LIMIT ").Append(P(query.Limit + 1))
            .ToString();
        return (sql, parameters);
    }

    private static async Task<List<(Listing Listing, string SortKey)>> ReadAsync(
        MarketplaceDbContext db, string sql, List<NpgsqlParameter> parameters, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters.ToArray());
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<(Listing, string)>();
            while (await reader.ReadAsync(cancellationToken))
            {
                var listing = new Listing
                {
                    Id = reader.GetGuid(0),
                    OwnerId = reader.GetGuid(1),
                    Kind = reader.GetString(2),
                    Category = reader.GetString(3),
                    Title = reader.GetString(4),
                    Description = reader.GetString(5),
                    PriceAmount = reader.GetInt64(6),
                    Currency = reader.GetString(7),
                    PriceUnit = reader.GetString(8),
                    City = reader.GetString(9),
                    Region = reader.IsDBNull(10) ? null : reader.GetString(10),
                    Country = reader.GetString(11),
                    Attributes = reader.GetString(12),
                    Status = reader.GetString(13),
                    RatingSum = reader.GetInt64(14),
                    RatingCount = reader.GetInt32(15),
                    CreatedAt = reader.GetFieldValue<DateTimeOffset>(16),
                    UpdatedAt = reader.GetFieldValue<DateTimeOffset>(17),
                };
                var rank = reader.GetFloat(18);
                rows.Add((listing, string.Join('|', rank.ToString("R", CultureInfo.InvariantCulture),
                    listing.PriceAmount.ToString(CultureInfo.InvariantCulture), listing.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture))));
            }

            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>The cursor keeps the sort it was made for and that sort's key only.</summary>
    private static string EncodeCursor(Cursor cursor)
    {
        var keys = cursor.Key.Split('|');
        var key = cursor.Sort switch
        {
            "relevance" => keys[0],
            "price_asc" or "price_desc" => keys[1],
            _ => keys[2],
        };
        return Cursors.Encode(cursor.Sort, key, cursor.Id.ToString("N"));
    }

    private static bool TryParseCursor(string text, out Cursor cursor)
    {
        cursor = default;
        if (!Cursors.TryDecode(text, 3, out var parts) || !Sorts.Contains(parts[0]) || !Guid.TryParseExact(parts[2], "N", out var id))
        {
            return false;
        }

        var valid = parts[0] switch
        {
            "relevance" => float.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && float.IsFinite(r),
            "price_asc" or "price_desc" => long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out _),
            _ => long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= DateTime.MaxValue.Ticks,
        };
        cursor = new Cursor(parts[0], parts[1], id);
        return valid;
    }
}
