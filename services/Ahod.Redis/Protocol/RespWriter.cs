using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Ahod.Redis.Protocol;

/// <summary>
/// Encodes a command as a RESP array of bulk strings, the only request form Redis needs. The whole
/// command is built in memory first so it reaches the socket in one write and pipelined commands
/// can never interleave.
/// </summary>
internal static class RespWriter
{
    public static byte[] Encode(string command, IReadOnlyList<object> args)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        var buffer = new ArrayBufferWriter<byte>(32 + (command.Length * 2));
        WriteLength(buffer, (byte)'*', args.Count + 1);
        WriteString(buffer, command);
        for (var i = 0; i < args.Count; i++)
        {
            WriteArgument(buffer, args[i], i);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteArgument(ArrayBufferWriter<byte> buffer, object arg, int index)
    {
        switch (arg)
        {
            case string text: WriteString(buffer, text); break;
            case byte[] bytes: WriteBulk(buffer, bytes); break;
            case ReadOnlyMemory<byte> memory: WriteBulk(buffer, memory.Span); break;
            case Memory<byte> memory: WriteBulk(buffer, memory.Span); break;
            case RedisValue { Kind: not RedisValueKind.Array, IsNull: false } value: WriteBulk(buffer, value.AsBytes()); break;
            case double number: WriteString(buffer, FormatDouble(number)); break;
            case float number: WriteString(buffer, FormatDouble(number)); break;
            case int or long or short or byte or uint or ulong or ushort or sbyte or decimal:
                WriteString(buffer, ((IFormattable)arg).ToString(null, CultureInfo.InvariantCulture));
                break;
            case null:
                throw new ArgumentNullException($"args[{index}]", "Redis command arguments cannot be null.");
            default:
                throw new ArgumentException(
                    $"Redis command argument {index} has unsupported type {arg.GetType().Name}; pass a string, byte[], ReadOnlyMemory<byte> or a number.");
        }
    }

    /// <summary>Redis reads scores as C doubles; infinities must be spelled the way it understands.</summary>
    internal static string FormatDouble(double value) => value switch
    {
        double.PositiveInfinity => "+inf",
        double.NegativeInfinity => "-inf",
        _ when double.IsNaN(value) => throw new ArgumentException("NaN cannot be sent to Redis."),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static void WriteString(ArrayBufferWriter<byte> buffer, string text)
    {
        var length = Encoding.UTF8.GetByteCount(text);
        WriteLength(buffer, (byte)'$', length);
        var written = Encoding.UTF8.GetBytes(text, buffer.GetSpan(length));
        buffer.Advance(written);
        WriteCrLf(buffer);
    }

    private static void WriteBulk(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        WriteLength(buffer, (byte)'$', bytes.Length);
        buffer.Write(bytes);
        WriteCrLf(buffer);
    }

    private static void WriteLength(ArrayBufferWriter<byte> buffer, byte prefix, int length)
    {
        var span = buffer.GetSpan(16);
        span[0] = prefix;
        Utf8Formatter.TryFormat(length, span[1..], out var written);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        buffer.Advance(3 + written);
    }

    private static void WriteCrLf(ArrayBufferWriter<byte> buffer) => buffer.Write("\r\n"u8);
}
