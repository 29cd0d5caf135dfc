using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Vellum.Core;

/// <summary>
/// HMAC-SHA256 (RFC 2104) through the same SHA-256 as every other hash: .NET's one-shot HMAC
/// sets up an OpenSSL MAC context on every call, which costs several times the four short hashes
/// it does. A key is prepared once into a state (<see cref="PrepareHmac(ReadOnlySpan{byte}, Span{byte})"/>): with libcrypto, the
/// hash states after absorbing the key's inner and outer padded blocks, so that each message
/// under a prepared key (<see cref="HmacKey"/>) costs two compressions fewer; without it, the two
/// padded blocks themselves.
/// </summary>
internal static partial class Sha256
{
    /// <summary>The bytes of a prepared key's state.</summary>
    public const int HmacStateBytes = 2 * ContextBytes;

    private const byte InnerPad = 0x36;
    private const byte OuterPad = 0x5c;

    /// <summary>HMAC-SHA256 of <paramref name="message"/> under <paramref name="key"/>.</summary>
    public static void Hmac(ReadOnlySpan<byte> key, ReadOnlySpan<byte> message, Span<byte> mac)
    {
        Span<byte> state = stackalloc byte[HmacStateBytes];
        PrepareHmac(key, state);
        FinishHmac(state, message, mac);
        CryptographicOperations.ZeroMemory(state);
    }

    /// <summary>Prepares <paramref name="key"/> into <paramref name="state"/> (<see cref="HmacStateBytes"/> bytes), which is as secret as the key.</summary>
    public static void PrepareHmac(ReadOnlySpan<byte> key, Span<byte> state) => PrepareHmac(key, state, IsNative);

    /// <summary>HMAC-SHA256 of <paramref name="message"/> under the key prepared into <paramref name="state"/>, which is left unchanged.</summary>
    public static void FinishHmac(ReadOnlySpan<byte> state, ReadOnlySpan<byte> message, Span<byte> mac) => FinishHmac(state, message, mac, IsNative);

    /// <summary>The preparation with libcrypto or without; internal to tests so both paths are checked.</summary>
    internal static void PrepareHmac(ReadOnlySpan<byte> key, Span<byte> state, bool native)
    {
        Span<byte> block = stackalloc byte[BlockBytes];
        block.Clear();
        if (key.Length > BlockBytes)
        {
            Hash(key, block[..DigestBytes]);
        }
        else
        {
            key.CopyTo(block);
        }

        var inner = state[..ContextBytes];
        var outer = state.Slice(ContextBytes, ContextBytes);
        if (native)
        {
            Span<byte> pad = stackalloc byte[BlockBytes];
            Xor(block, InnerPad, pad);
            Absorb(inner, pad);
            Xor(block, OuterPad, pad);
            Absorb(outer, pad);
            CryptographicOperations.ZeroMemory(pad);
        }
        else
        {
            Xor(block, InnerPad, inner[..BlockBytes]);
            Xor(block, OuterPad, outer[..BlockBytes]);
        }

        CryptographicOperations.ZeroMemory(block);
    }

    /// <summary>The HMAC with libcrypto or without, for a state prepared the same way; internal to tests so both paths are checked.</summary>
    internal static void FinishHmac(ReadOnlySpan<byte> state, ReadOnlySpan<byte> message, Span<byte> mac, bool native)
    {
        Span<byte> innerDigest = stackalloc byte[DigestBytes];
        if (native)
        {
            Span<byte> context = stackalloc byte[ContextBytes];
            state[..ContextBytes].CopyTo(context);
            var succeeded = NativeMethods.Update(ref context[0], ref MemoryMarshal.GetReference(message), (nuint)message.Length)
                & NativeMethods.Final(ref innerDigest[0], ref context[0]);
            state.Slice(ContextBytes, ContextBytes).CopyTo(context);
            succeeded &= NativeMethods.Update(ref context[0], ref innerDigest[0], DigestBytes)
                & NativeMethods.Final(ref mac[0], ref context[0]);
            Invariant.Check(succeeded == 1, "libcrypto's SHA-256 calls succeed");
            CryptographicOperations.ZeroMemory(context);
        }
        else
        {
            HashManaged(state[..BlockBytes], message, default, innerDigest);
            HashManaged(state.Slice(ContextBytes, BlockBytes), innerDigest, default, mac);
        }

        CryptographicOperations.ZeroMemory(innerDigest);
    }

    private static void Absorb(Span<byte> context, ReadOnlySpan<byte> block)
    {
        var succeeded = NativeMethods.Init(ref context[0])
            & NativeMethods.Update(ref context[0], ref MemoryMarshal.GetReference(block), (nuint)block.Length);
        Invariant.Check(succeeded == 1, "libcrypto's SHA-256 calls succeed");
    }

    private static void Xor(ReadOnlySpan<byte> block, byte value, Span<byte> destination)
    {
        var pattern = 0x0101010101010101UL * value;
        var words = MemoryMarshal.Cast<byte, ulong>(block);
        var into = MemoryMarshal.Cast<byte, ulong>(destination);
        for (var i = 0; i < words.Length; i++)
        {
            into[i] = words[i] ^ pattern;
        }
    }
}
