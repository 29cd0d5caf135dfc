using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace Vellum.Core;

/// <summary>
/// The one SHA-256 entry point of Vellum. Through .NET's <see cref="SHA256"/> every call pays
/// OpenSSL's EVP overhead (about 0.45 µs here), several times the cost of hashing 64 bytes with
/// the CPU's SHA instructions; Merkle nodes, leaves and write-set digests are all short, so that
/// overhead dominated. Where libcrypto is present its low-level SHA256_Init/Update/Final are
/// called directly, after a known-answer check; elsewhere .NET's implementation is used.
/// </summary>
internal static partial class Sha256
{
    // OpenSSL's SHA256_CTX is 112 bytes; the extra room costs nothing on the stack.
    private const int ContextBytes = 128;
    private const int BlockBytes = 64;
    private const int DigestBytes = 32;

    /// <summary>True when hashing goes straight to libcrypto.</summary>
    public static bool IsNative { get; } = NativeMethods.Probe();

    public static void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        if (IsNative)
        {
            Span<byte> context = stackalloc byte[ContextBytes];
            var succeeded = NativeMethods.Init(ref context[0])
                & NativeMethods.Update(ref context[0], ref MemoryMarshal.GetReference(data), (nuint)data.Length)
                & NativeMethods.Final(ref digest[0], ref context[0]);
            Invariant.Check(succeeded == 1, "libcrypto's SHA-256 calls succeed");
            return;
        }

        SHA256.HashData(data, digest);
    }

    /// <summary>SHA-256 of <paramref name="first"/> ‖ <paramref name="second"/> ‖ <paramref name="third"/> without joining them.</summary>
    public static void Hash(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, Span<byte> digest)
    {
        if (IsNative)
        {
            Span<byte> context = stackalloc byte[ContextBytes];
            var succeeded = NativeMethods.Init(ref context[0])
                & NativeMethods.Update(ref context[0], ref MemoryMarshal.GetReference(first), (nuint)first.Length)
                & NativeMethods.Update(ref context[0], ref MemoryMarshal.GetReference(second), (nuint)second.Length)
                & NativeMethods.Update(ref context[0], ref MemoryMarshal.GetReference(third), (nuint)third.Length)
                & NativeMethods.Final(ref digest[0], ref context[0]);
            Invariant.Check(succeeded == 1, "libcrypto's SHA-256 calls succeed");
            return;
        }

        HashManaged(first, second, third, digest);
    }

    /// <summary>.NET's implementation of the three-part hash; public to tests so both paths are checked.</summary>
    internal static void HashManaged(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second, ReadOnlySpan<byte> third, Span<byte> digest)
    {
        var length = first.Length + second.Length + third.Length;
        if (length > 512)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(first);
            hash.AppendData(second);
            hash.AppendData(third);
            hash.GetHashAndReset(digest);
            return;
        }

        // Merkle nodes and leaves are 64 and 96 bytes: joining them on the stack is cheapest.
        Span<byte> joined = stackalloc byte[length];
        first.CopyTo(joined);
        second.CopyTo(joined[first.Length..]);
        third.CopyTo(joined[(first.Length + second.Length)..]);
        SHA256.HashData(joined, digest);

        // An HMAC without libcrypto hashes its padded key this way: no copy of it is left behind.
        CryptographicOperations.ZeroMemory(joined);
    }

    private static class NativeMethods
    {
        private const string Library = "libcrypto.so.3";

        // Up to this many bytes an update takes well under a microsecond, so it is called without
        // the GC transition, which cost as much as hashing a Merkle node; longer data keeps the
        // transition, so that a long hash never holds up a garbage collection.
        private const int ShortUpdateBytes = 4096;

        [DllImport(Library, EntryPoint = "SHA256_Init")]
        [SuppressGCTransition]
        public static extern int Init(ref byte context);

        public static int Update(ref byte context, ref byte data, nuint length)
            => length <= ShortUpdateBytes ? UpdateShort(ref context, ref data, length) : UpdateLong(ref context, ref data, length);

        [DllImport(Library, EntryPoint = "SHA256_Final")]
        [SuppressGCTransition]
        public static extern int Final(ref byte digest, ref byte context);

        [DllImport(Library, EntryPoint = "SHA256_Update")]
        [SuppressGCTransition]
        private static extern int UpdateShort(ref byte context, ref byte data, nuint length);

        [DllImport(Library, EntryPoint = "SHA256_Update")]
        private static extern int UpdateLong(ref byte context, ref byte data, nuint length);

        /// <summary>True when libcrypto loads and agrees with .NET on a known answer.</summary>
        public static bool Probe()
        {
            if (!OperatingSystem.IsLinux())
            {
                return false;
            }

            try
            {
                ReadOnlySpan<byte> sample = "Vellum checks its SHA-256 before trusting it"u8;
                Span<byte> context = stackalloc byte[ContextBytes];
                Span<byte> native = stackalloc byte[32];
                var succeeded = Init(ref context[0])
                    & Update(ref context[0], ref MemoryMarshal.GetReference(sample), (nuint)sample.Length)
                    & Final(ref native[0], ref context[0]);
                return succeeded == 1 && native.SequenceEqual(SHA256.HashData(sample));
            }
            catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
            {
                return false;
            }
        }
    }
}
