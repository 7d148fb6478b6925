using System.Globalization;
using System.Text;

namespace Ahod.Marketplace;

/// <summary>Opaque keyset cursors: the sort key and the id of the last row, base64url so they travel in a query string.</summary>
internal static class Cursors
{
    public static string Encode(params string[] parts) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('|', parts))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string text, int count, out string[] parts)
    {
        parts = [];
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 += new string('=', (4 - base64.Length % 4) % 4);
            parts = Encoding.UTF8.GetString(Convert.FromBase64String(base64)).Split('|');
            return parts.Length == count;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Newest-first lists: (created_at, id).</summary>
    public static string EncodeTime(DateTimeOffset at, Guid id) => Encode(at.UtcTicks.ToString(CultureInfo.InvariantCulture), id.ToString("N"));

    public static bool TryParseTime(string text, out (DateTimeOffset At, Guid Id) cursor)
    {
        cursor = default;
        if (TryDecode(text, 2, out var parts) && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) &&
            ticks <= DateTimeOffset.MaxValue.UtcTicks && Guid.TryParseExact(parts[1], "N", out var id))
        {
            cursor = (new DateTimeOffset(ticks, TimeSpan.Zero), id);
            return true;
        }

        return false;
    }
}
