namespace Vellum.Core.Recovery;

/// <summary>
/// The random 16-byte name of one recovery deal, carried by its encrypted ledger secret and by
/// every share, so that a share of an earlier deal is refused by name instead of by a failed
/// decryption.
/// </summary>
public readonly record struct DealId
{
    /// <summary>The length of a deal id in bytes.</summary>
    public const int Size = 16;

    private readonly UInt128 _value;

    /// <summary>Reads a deal id from exactly <see cref="Size"/> bytes.</summary>
    /// <exception cref="ArgumentException">The span is not <see cref="Size"/> bytes long.</exception>
    public DealId(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
        {
            throw new ArgumentException($"A deal id is {Size} bytes, not {bytes.Length}.", nameof(bytes));
        }

        _value = System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <summary>Writes the id's <see cref="Size"/> bytes to <paramref name="destination"/>.</summary>
    public void WriteTo(Span<byte> destination) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt128BigEndian(destination, _value);

    /// <summary>The id as 32 lowercase hex characters.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        WriteTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
