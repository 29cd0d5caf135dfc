namespace Vellum.Core.Entries;

/// <summary>Where the sealed part of a private write lies: what <c>EntryCipher</c> needs to open it.</summary>
/// <param name="SecretVersion">The version of the ledger secret the entry was sealed under.</param>
/// <param name="AuthenticatedBytes">The length of the entry's prefix that is the AES-GCM additional data.</param>
/// <param name="Sealed">The ciphertext followed by the 16-byte tag.</param>
internal readonly ref struct SealedPart(int SecretVersion, int AuthenticatedBytes, ReadOnlySpan<byte> Sealed)
{
    public int SecretVersion { get; } = SecretVersion;

    public int AuthenticatedBytes { get; } = AuthenticatedBytes;

    public ReadOnlySpan<byte> Sealed { get; } = Sealed;
}
