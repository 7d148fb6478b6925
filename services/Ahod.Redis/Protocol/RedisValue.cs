using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Ahod.Redis;

/// <summary>The five RESP2 reply types.</summary>
public enum RedisValueKind
{
    SimpleString,
    Error,
    Integer,
    BulkString,
    Array,
}

/// <summary>
/// One reply from the server, exactly as RESP2 describes it. Strings are kept as bytes so binary
/// values survive untouched; text is decoded as UTF-8 only when asked for.
/// </summary>
public sealed class RedisValue
{
    private static readonly RedisValue NullBulkValue = new(RedisValueKind.BulkString, null, 0, null);
    private static readonly RedisValue NullArrayValue = new(RedisValueKind.Array, null, 0, null);

    private readonly byte[]? _bytes;
    private readonly long _integer;
    private readonly RedisValue[]? _items;

    private RedisValue(RedisValueKind kind, byte[]? bytes, long integer, RedisValue[]? items)
    {
        Kind = kind;
        _bytes = bytes;
        _integer = integer;
        _items = items;
    }

    public RedisValueKind Kind { get; }

    /// <summary>True for the nil bulk string (<c>$-1</c>, e.g. GET of a missing key) and the nil array (<c>*-1</c>).</summary>
    public bool IsNull => Kind switch
    {
        RedisValueKind.BulkString => _bytes is null,
        RedisValueKind.Array => _items is null,
        _ => false,
    };

    /// <summary>The elements of an array reply; null for the nil array.</summary>
    public IReadOnlyList<RedisValue>? Items => Kind == RedisValueKind.Array
        ? _items
        : throw new InvalidCastException($"A {Kind} reply is not an array.");

    public static RedisValue SimpleString(string text) => new(RedisValueKind.SimpleString, Encoding.UTF8.GetBytes(text), 0, null);

    public static RedisValue Error(string message) => new(RedisValueKind.Error, Encoding.UTF8.GetBytes(message), 0, null);

    public static RedisValue Integer(long value) => new(RedisValueKind.Integer, null, value, null);

    public static RedisValue Bulk(byte[]? bytes) => bytes is null ? NullBulkValue : new(RedisValueKind.BulkString, bytes, 0, null);

    public static RedisValue Array(RedisValue[]? items) => items is null ? NullArrayValue : new(RedisValueKind.Array, null, 0, items);

    internal static RedisValue FromRaw(RedisValueKind kind, byte[] bytes) => new(kind, bytes, 0, null);

    /// <summary>The reply as UTF-8 text (integers are formatted); null for nil.</summary>
    public string? AsString() => Kind switch
    {
        RedisValueKind.Integer => _integer.ToString(CultureInfo.InvariantCulture),
        RedisValueKind.Array => _items is null ? null : throw new InvalidCastException("An array reply is not a string."),
        _ => _bytes is null ? null : Encoding.UTF8.GetString(_bytes),
    };

    /// <summary>The raw bytes of a string reply; null for nil.</summary>
    public byte[]? AsBytes() => Kind switch
    {
        RedisValueKind.Integer => Encoding.ASCII.GetBytes(_integer.ToString(CultureInfo.InvariantCulture)),
        RedisValueKind.Array => _items is null ? null : throw new InvalidCastException("An array reply is not a string."),
        _ => _bytes,
    };

    /// <summary>An integer reply, or a string reply holding a whole number (as INCR-style scripts often return).</summary>
    public long AsInt64()
    {
        if (Kind == RedisValueKind.Integer)
        {
            return _integer;
        }

        if (Kind is RedisValueKind.BulkString or RedisValueKind.SimpleString && _bytes is not null &&
            Utf8Parser.TryParse(_bytes, out long parsed, out var consumed) && consumed == _bytes.Length)
        {
            return parsed;
        }

        throw new InvalidCastException($"The {Kind} reply '{this}' is not an integer.");
    }

    /// <summary>A number sent as text (ZSCORE, WITHSCORES), including Redis's <c>inf</c> spellings.</summary>
    public double AsDouble()
    {
        if (Kind == RedisValueKind.Integer)
        {
            return _integer;
        }

        var text = AsString() ?? throw new InvalidCastException("A nil reply is not a number.");
        return text switch
        {
            "inf" or "+inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
        };
    }

    public override string ToString() => Kind switch
    {
        RedisValueKind.Array => _items is null ? "(nil array)" : $"[{string.Join(", ", _items.Select(i => i.ToString()))}]",
        RedisValueKind.Error => $"(error) {AsString()}",
        _ => AsString() ?? "(nil)",
    };
}
