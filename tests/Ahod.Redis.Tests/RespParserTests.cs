using System.Buffers;
using System.Text;
using Ahod.Redis.Protocol;

namespace Ahod.Redis.Tests;

public sealed class RespParserTests
{
    [Fact]
    public void Simple_string()
    {
        var value = ParseWhole("+OK\r\n");
        value.Kind.ShouldBe(RedisValueKind.SimpleString);
        value.AsString().ShouldBe("OK");
    }

    [Fact]
    public void Error_keeps_the_server_message()
    {
        var value = ParseWhole("-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
        value.Kind.ShouldBe(RedisValueKind.Error);
        value.AsString().ShouldBe("WRONGTYPE Operation against a key holding the wrong kind of value");
    }

    [Theory]
    [InlineData(":0\r\n", 0L)]
    [InlineData(":1000\r\n", 1000L)]
    [InlineData(":-42\r\n", -42L)]
    [InlineData(":9223372036854775807\r\n", long.MaxValue)]
    public void Integer(string input, long expected)
    {
        var value = ParseWhole(input);
        value.Kind.ShouldBe(RedisValueKind.Integer);
        value.AsInt64().ShouldBe(expected);
    }

    [Fact]
    public void Bulk_string_is_binary_safe()
    {
        // CRLF and a zero byte inside the payload must not end it: the length prefix decides.
        byte[] payload = [0x00, 0x0D, 0x0A, 0xFF, (byte)'a'];
        var input = Concat("$5\r\n"u8.ToArray(), payload, "\r\n"u8.ToArray());

        var value = ParseWhole(input);

        value.Kind.ShouldBe(RedisValueKind.BulkString);
        value.AsBytes().ShouldBe(payload);
    }

    [Fact]
    public void Empty_and_null_bulk_strings_differ()
    {
        ParseWhole("$0\r\n\r\n").AsString().ShouldBe("");
        ParseWhole("$0\r\n\r\n").IsNull.ShouldBeFalse();

        var nil = ParseWhole("$-1\r\n");
        nil.Kind.ShouldBe(RedisValueKind.BulkString);
        nil.IsNull.ShouldBeTrue();
        nil.AsString().ShouldBeNull();
    }

    [Fact]
    public void Nested_array_with_every_type()
    {
        var value = ParseWhole("*5\r\n+OK\r\n:7\r\n$3\r\nfoo\r\n*2\r\n$-1\r\n-ERR inner\r\n*-1\r\n");

        value.Kind.ShouldBe(RedisValueKind.Array);
        var items = value.Items!;
        items.Count.ShouldBe(5);
        items[0].AsString().ShouldBe("OK");
        items[1].AsInt64().ShouldBe(7);
        items[2].AsString().ShouldBe("foo");
        items[3].Items![0].IsNull.ShouldBeTrue();
        items[3].Items![1].Kind.ShouldBe(RedisValueKind.Error);
        items[4].IsNull.ShouldBeTrue();
    }

    [Fact]
    public void Empty_and_null_arrays_differ()
    {
        ParseWhole("*0\r\n").Items!.Count.ShouldBe(0);
        ParseWhole("*-1\r\n").IsNull.ShouldBeTrue();
    }

    [Fact]
    public void Every_prefix_of_a_reply_is_incomplete_and_consumes_nothing()
    {
        var input = Encoding.UTF8.GetBytes("*3\r\n$5\r\nhello\r\n:12\r\n*2\r\n+a\r\n$-1\r\n");
        for (var cut = 0; cut < input.Length; cut++)
        {
            var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input, 0, cut));
            RespParser.TryRead(ref reader, out _).ShouldBeFalse($"a reply cut at byte {cut} was parsed");
            reader.Consumed.ShouldBe(0);
        }

        ParseWhole(input).Items!.Count.ShouldBe(3);
    }

    [Fact]
    public void A_reply_spread_over_one_byte_segments_parses()
    {
        // What a socket delivering one byte per read looks like to the parser.
        var input = Encoding.UTF8.GetBytes("*2\r\n$11\r\nhello world\r\n:-5\r\n");
        var reader = new SequenceReader<byte>(OneBytePerSegment(input));

        RespParser.TryRead(ref reader, out var value).ShouldBeTrue();

        value.Items![0].AsString().ShouldBe("hello world");
        value.Items![1].AsInt64().ShouldBe(-5);
        reader.End.ShouldBeTrue();
    }

    [Fact]
    public void Several_pipelined_replies_come_out_in_order_and_a_partial_tail_waits()
    {
        var input = Encoding.UTF8.GetBytes("+PONG\r\n:1\r\n$3\r\nbar\r\n$10\r\npart");
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        var replies = new List<string?>();
        while (RespParser.TryRead(ref reader, out var value))
        {
            replies.Add(value.AsString());
        }

        replies.ShouldBe(["PONG", "1", "bar"]);
        reader.Remaining.ShouldBe("$10\r\npart".Length);
    }

    [Theory]
    [InlineData("?what\r\n")]
    [InlineData(":12x\r\n")]
    [InlineData("$3\r\nabcd\r\n")]
    [InlineData("$-7\r\n")]
    public void Garbage_is_a_protocol_error(string input)
    {
        Should.Throw<RedisProtocolException>(() => ParseWhole(input));
    }

    [Fact]
    public void Writer_encodes_commands_as_arrays_of_bulk_strings()
    {
        var bytes = RespWriter.Encode("SET", ["clé", 42, new byte[] { 0, 1 }, 1.5]);

        Encoding.UTF8.GetString(bytes).ShouldBe("*5\r\n$3\r\nSET\r\n$4\r\nclé\r\n$2\r\n42\r\n$2\r\n\0\u0001\r\n$3\r\n1.5\r\n");
    }

    [Fact]
    public void Writer_rejects_arguments_it_cannot_send()
    {
        Should.Throw<ArgumentException>(() => RespWriter.Encode("GET", [CancellationToken.None]))
            .Message.ShouldContain("CancellationToken");
    }

    private static RedisValue ParseWhole(string input) => ParseWhole(Encoding.UTF8.GetBytes(input));

    private static RedisValue ParseWhole(byte[] input)
    {
        var reader = new SequenceReader<byte>(new ReadOnlySequence<byte>(input));
        RespParser.TryRead(ref reader, out var value).ShouldBeTrue();
        reader.End.ShouldBeTrue("the parser left bytes unread");
        return value;
    }

    private static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];

    private static ReadOnlySequence<byte> OneBytePerSegment(byte[] input)
    {
        var first = new Segment(input.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < input.Length; i++)
        {
            last = last.Append(input.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
