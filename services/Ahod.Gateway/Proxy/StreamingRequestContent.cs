using System.Buffers;
using System.Net;

namespace Ahod.Gateway.Proxy;

/// <summary>
/// The client's body, copied to the service as it arrives (never buffered), remembering whether a failure
/// came from reading the client (too large, disconnected) or from writing to the service.
/// </summary>
internal sealed class StreamingRequestContent(Stream source) : HttpContent
{
    private const int BufferSize = 16 * 1024;

    public Exception? ClientReadError { get; private set; }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken);
                }
                catch (Exception e)
                {
                    ClientReadError = e;
                    throw;
                }

                if (read == 0)
                {
                    return;
                }

                await stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    protected override bool TryComputeLength(out long length)
    {
        // Content-Length, when the client sent one, is copied as a header; otherwise the body goes chunked.
        length = -1;
        return false;
    }
}
