using System.Buffers;
using System.Buffers.Text;

namespace Ahod.Redis.Protocol;

/// <summary>
/// Incremental RESP2 reader. Socket reads split replies at arbitrary byte boundaries, so
/// <see cref="TryRead"/> either consumes one whole reply or leaves the reader where it was and
/// returns false, to be called again once more bytes have arrived.
/// </summary>
internal static class RespParser
{
    // Redis caps bulk strings at 512 MB; a larger length means the stream is corrupt, not that a
    // huge value is coming, and trusting it would allocate without bound.
    private const long MaxBulkLength = 512L * 1024 * 1024;
    private const int MaxDepth = 64;

    private static ReadOnlySpan<byte> CrLf => "\r\n"u8;

    public static bool TryRead(ref SequenceReader<byte> reader, out RedisValue value)
    {
        var attempt = reader;
        if (!TryReadValue(ref attempt, depth: 0, out value))
        {
            return false;
        }

        reader = attempt;
        return true;
    }

    private static bool TryReadValue(ref SequenceReader<byte> reader, int depth, out RedisValue value)
    {
        value = null!;
        if (!reader.TryRead(out var prefix) || !reader.TryReadTo(out ReadOnlySequence<byte> line, CrLf))
        {
            return false;
        }

        switch (prefix)
        {
            case (byte)'+':
                value = RedisValue.FromRaw(RedisValueKind.SimpleString, line.ToArray());
                return true;
            case (byte)'-':
                value = RedisValue.FromRaw(RedisValueKind.Error, line.ToArray());
                return true;
            case (byte)':':
                value = RedisValue.Integer(ParseInteger(line));
                return true;
            case (byte)'$':
                return TryReadBulk(ref reader, ParseInteger(line), out value);
            case (byte)'*':
                return TryReadArray(ref reader, ParseInteger(line), depth, out value);
            default:
                throw new RedisProtocolException($"Unexpected RESP type byte 0x{prefix:X2} ('{(char)prefix}').");
        }
    }

    private static bool TryReadBulk(ref SequenceReader<byte> reader, long length, out RedisValue value)
    {
        value = null!;
        if (length == -1)
        {
            value = RedisValue.Bulk(null);
            return true;
        }

        if (length is < 0 or > MaxBulkLength)
        {
            throw new RedisProtocolException($"Invalid RESP bulk string length {length}.");
        }

        if (reader.Remaining < length + 2)
        {
            return false;
        }

        var bytes = new byte[length];
        reader.TryCopyTo(bytes);
        reader.Advance(length);
        if (!reader.IsNext(CrLf, advancePast: true))
        {
            throw new RedisProtocolException("RESP bulk string is not terminated by CRLF.");
        }

        value = RedisValue.Bulk(bytes);
        return true;
    }

    private static bool TryReadArray(ref SequenceReader<byte> reader, long count, int depth, out RedisValue value)
    {
        value = null!;
        if (count == -1)
        {
            value = RedisValue.Array(null);
            return true;
        }

        if (count < 0 || count > int.MaxValue || depth >= MaxDepth)
        {
            throw new RedisProtocolException($"Invalid RESP array (length {count}, depth {depth}).");
        }

        // Every element takes at least 3 bytes; checking this first stops a bogus huge count from
        // allocating before we know the data is there.
        if (reader.Remaining < count * 3)
        {
            return false;
        }

        var items = new RedisValue[count];
        for (var i = 0; i < items.Length; i++)
        {
            if (!TryReadValue(ref reader, depth + 1, out items[i]))
            {
                return false;
            }
        }

        value = RedisValue.Array(items);
        return true;
    }

    private static long ParseInteger(ReadOnlySequence<byte> line)
    {
        Span<byte> scratch = stackalloc byte[24];
        if (line.Length is 0 or > 24)
        {
            throw new RedisProtocolException("Invalid RESP integer line.");
        }

        line.CopyTo(scratch);
        var digits = scratch[..(int)line.Length];
        if (!Utf8Parser.TryParse(digits, out long result, out var consumed) || consumed != digits.Length)
        {
            throw new RedisProtocolException($"Invalid RESP integer '{System.Text.Encoding.ASCII.GetString(digits)}'.");
        }

        return result;
    }
}
