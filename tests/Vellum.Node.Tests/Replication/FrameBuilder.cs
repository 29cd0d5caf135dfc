using System.Buffers.Binary;
using System.Text;

namespace Vellum.Node.Tests.Replication;

/// <summary>
/// Writes frames by hand from the documented layout, independently of the codec: the wire format
/// tests compare the codec's bytes with these, and the malformed-frame tests bend them.
/// </summary>
internal sealed class FrameBuilder
{
    private readonly List<byte> _body = [];

    public FrameBuilder(byte type, byte version = 1)
    {
        _body.Add(version);
        _body.Add(type);
    }

    public FrameBuilder U8(int value)
    {
        _body.Add((byte)value);
        return this;
    }

    public FrameBuilder U16(int value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, (ushort)value);
        _body.AddRange(bytes.ToArray());
        return this;
    }

    public FrameBuilder U32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        _body.AddRange(bytes.ToArray());
        return this;
    }

    public FrameBuilder I64(long value)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        _body.AddRange(bytes.ToArray());
        return this;
    }

    public FrameBuilder Id(string id) => IdBytes(Encoding.UTF8.GetBytes(id));

    public FrameBuilder IdBytes(byte[] bytes)
    {
        _body.Add((byte)bytes.Length);
        _body.AddRange(bytes);
        return this;
    }

    public FrameBuilder Bytes(byte[] bytes)
    {
        _body.AddRange(bytes);
        return this;
    }

    /// <summary>The frame with a length prefix that counts the body.</summary>
    public byte[] Build() => Build((uint)_body.Count);

    /// <summary>The frame with whatever length prefix a test wants.</summary>
    public byte[] Build(uint prefix)
    {
        var frame = new byte[4 + _body.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, prefix);
        _body.CopyTo(frame, 4);
        return frame;
    }

    /// <summary>A frame whose prefix is rewritten to match its (shortened) length, so the decoder reads on into the cut.</summary>
    public static byte[] Cut(byte[] frame, int length)
    {
        var cut = frame[..length];
        if (length >= 4)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(cut, (uint)(length - 4));
        }

        return cut;
    }
}
