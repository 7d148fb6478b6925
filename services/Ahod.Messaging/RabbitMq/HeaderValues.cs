using System.Globalization;
using System.Text;

namespace Ahod.Messaging.RabbitMq;

/// <summary>Reads header values, which the client hands back as byte[] for strings and as boxed numbers otherwise.</summary>
internal static class HeaderValues
{
    public static string? GetString(IDictionary<string, object?>? headers, string name) =>
        headers is not null && headers.TryGetValue(name, out var value)
            ? value switch
            {
                byte[] bytes => Encoding.UTF8.GetString(bytes),
                string text => text,
                null => null,
                _ => Convert.ToString(value, CultureInfo.InvariantCulture),
            }
            : null;

    public static int GetInt(IDictionary<string, object?>? headers, string name, int fallback)
    {
        if (headers is null || !headers.TryGetValue(name, out var value) || value is null)
        {
            return fallback;
        }

        return value switch
        {
            int i => i,
            long l => (int)l,
            short s => s,
            byte b => b,
            byte[] bytes when int.TryParse(Encoding.UTF8.GetString(bytes), CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => fallback,
        };
    }
}
