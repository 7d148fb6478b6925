namespace Ahod.Contracts;

/// <summary>One page of a list, the contract's <c>{ "items": [...], "nextCursor": "..." | null }</c>; <c>?limit=&amp;cursor=</c> asks for the next.</summary>
public record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>The page size asked for, or a field error on <c>limit</c>.</summary>
    public static int Limit(this Validation validation, int? limit, int defaultLimit = DefaultLimit)
    {
        var take = limit ?? defaultLimit;
        validation.Require(take is >= 1 and <= MaxLimit, "limit", $"Must be between 1 and {MaxLimit}.");
        return take;
    }

    /// <summary>A cursor this API handed out, or a field error on <c>cursor</c>; null when none was sent.</summary>
    public static TCursor? Cursor<TCursor>(this Validation validation, string? cursor, TryParse<TCursor> parse)
        where TCursor : struct
    {
        if (string.IsNullOrEmpty(cursor))
        {
            return null;
        }

        if (parse(cursor, out var value))
        {
            return value;
        }

        validation.Add("cursor", "Not a cursor this endpoint returned.");
        return null;
    }

    /// <summary>The page from up to <paramref name="take"/> + 1 rows: the extra row only says there is more.</summary>
    public static Page<T> From<T>(IReadOnlyList<T> rows, int take, Func<T, string> cursorOf)
    {
        var items = rows.Count > take ? rows.Take(take).ToList() : rows;
        return new Page<T>(items, rows.Count > take ? cursorOf(items[^1]) : null);
    }

    public delegate bool TryParse<T>(string text, out T value);
}
