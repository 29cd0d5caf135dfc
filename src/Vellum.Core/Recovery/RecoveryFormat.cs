namespace Vellum.Core.Recovery;

/// <summary>Checks shared by the recovery formats' readers.</summary>
internal static class RecoveryFormat
{
    /// <summary>Every recovery format starts with four magic bytes and a version byte.</summary>
    public const int HeaderBytes = 5;

    /// <summary>Checks the magic and version at the start of <paramref name="bytes"/>; <paramref name="what"/> names the format with its article, such as "a recovery share", for the messages.</summary>
    /// <exception cref="RecoveryFormatException">The magic or the version is not the expected one.</exception>
    public static void RequireHeader(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> magic, byte version, string what)
    {
        if (bytes.Length < HeaderBytes || !bytes[..4].SequenceEqual(magic))
        {
            throw new RecoveryFormatException($"The bytes are not {what}: they do not start with \"{System.Text.Encoding.ASCII.GetString(magic)}\".");
        }

        if (bytes[4] != version)
        {
            throw new RecoveryFormatException($"The bytes are {what} of format version {bytes[4]}; this version reads version {version}.");
        }
    }
}
