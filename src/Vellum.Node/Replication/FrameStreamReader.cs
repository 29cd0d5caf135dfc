using System.Buffers;
using System.IO.Pipelines;

namespace Vellum.Node.Replication;

/// <summary>
/// Cuts a byte stream into frames. A frame's memory is allocated only once all of it has
/// arrived, so a length prefix cannot make the reader allocate more than the peer really sent;
/// the prefix is checked against the bound as soon as it is read. Each frame gets its own array,
/// which the decoded message then owns (payloads are slices of it).
/// </summary>
internal sealed class FrameStreamReader
{
    private readonly PipeReader _reader;

    public FrameStreamReader(PipeReader reader) => _reader = reader;

    /// <summary>The next whole frame, prefix included, or null when the stream ended cleanly between frames.</summary>
    /// <param name="maxFrameBytes">The bound for this frame: small for a hello, the transport's limit after it.</param>
    /// <param name="cancellationToken">Abandons the read.</param>
    /// <exception cref="MalformedFrameException">The prefix exceeds the bound, or the stream ended inside a frame.</exception>
    public async ValueTask<byte[]?> ReadAsync(int maxFrameBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            if (TryTake(ref buffer, maxFrameBytes, out var frame))
            {
                _reader.AdvanceTo(buffer.Start);
                return frame;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                _reader.AdvanceTo(buffer.End);
                return buffer.IsEmpty
                    ? null
                    : throw new MalformedFrameException($"The connection ended {buffer.Length} bytes into a frame.");
            }

            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool TryTake(ref ReadOnlySequence<byte> buffer, int maxFrameBytes, out byte[]? frame)
    {
        frame = null;
        if (buffer.Length < RaftMessageCodec.LengthPrefixBytes)
        {
            return false;
        }

        Span<byte> prefix = stackalloc byte[RaftMessageCodec.LengthPrefixBytes];
        buffer.Slice(0, prefix.Length).CopyTo(prefix);
        var length = RaftMessageCodec.ReadFrameLength(prefix, maxFrameBytes);
        if (buffer.Length < length)
        {
            return false;
        }

        frame = GC.AllocateUninitializedArray<byte>(length);
        buffer.Slice(0, length).CopyTo(frame);
        buffer = buffer.Slice(length);
        return true;
    }
}
