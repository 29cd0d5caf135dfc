using System.Buffers.Binary;
using System.Text;
using Vellum.Consensus;
using Vellum.Core;

namespace Vellum.Node.Replication;

/// <summary>
/// Writes little-endian fields into a span sized beforehand by <see cref="FrameLayout"/>; running
/// past its end is a sizing bug, so it is an invariant violation rather than a silent overrun.
/// </summary>
internal ref struct FrameSpanWriter
{
    private readonly Span<byte> _destination;
    private int _position;

    public FrameSpanWriter(Span<byte> destination) => _destination = destination;

    /// <summary>How many bytes have been written.</summary>
    public readonly int Position => _position;

    public void WriteByte(byte value) => Take(1)[0] = value;

    public void WriteBoolean(bool value) => WriteByte(value ? (byte)1 : (byte)0);

    public void WriteUInt16(int value) => BinaryPrimitives.WriteUInt16LittleEndian(Take(2), checked((ushort)value));

    public void WriteUInt32(int value) => BinaryPrimitives.WriteUInt32LittleEndian(Take(4), checked((uint)value));

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64LittleEndian(Take(8), value);

    public void WriteNodeId(NodeId id)
    {
        var target = Take(1 + FrameLayout.NodeIdBytes(id));
        target[0] = (byte)(target.Length - 1);
        Encoding.UTF8.GetBytes(id.Value, target[1..]);
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Take(bytes.Length));

    private Span<byte> Take(int count)
    {
        Invariant.Check(_destination.Length - _position >= count, "a frame is written within the length computed for it");
        var span = _destination.Slice(_position, count);
        _position += count;
        return span;
    }
}
