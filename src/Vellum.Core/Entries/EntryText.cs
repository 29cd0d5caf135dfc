using System.Text;

namespace Vellum.Core.Entries;

/// <summary>
/// The one way text (collection ids, tags) becomes bytes in Vellum: strict UTF-8, which rejects
/// lone surrogates instead of silently writing U+FFFD, so that stored and queried text is
/// exactly what was given and two different strings never encode alike.
/// </summary>
public static class EntryText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The UTF-8 bytes of a collection id.</summary>
    /// <exception cref="ArgumentException">It is empty, too long or not valid Unicode.</exception>
    public static byte[] CollectionId(string collectionId) => Encode(collectionId, EntryCodec.MaxCollectionIdBytes, "collection id", nameof(collectionId));

    /// <summary>Writes the UTF-8 bytes of a collection id to <paramref name="destination"/>, which has room for <see cref="EntryCodec.MaxCollectionIdBytes"/>; returns how many.</summary>
    /// <exception cref="ArgumentException">It is empty, too long or not valid Unicode.</exception>
    public static int CollectionId(string collectionId, Span<byte> destination)
        => Write(collectionId, destination[..ByteCount(collectionId, EntryCodec.MaxCollectionIdBytes, "collection id", nameof(collectionId))]);

    /// <summary>The UTF-8 bytes of a tag.</summary>
    /// <exception cref="ArgumentException">It is empty, too long or not valid Unicode.</exception>
    public static byte[] Tag(string tag) => Encode(tag, EntryCodec.MaxTagBytes, "tag", nameof(tag));

    /// <summary>The UTF-8 length of <paramref name="text"/>, checked to be 1 to <paramref name="maxBytes"/> bytes of valid Unicode.</summary>
    /// <exception cref="ArgumentException">It is empty, longer than <paramref name="maxBytes"/> or not valid Unicode.</exception>
    public static int ByteCount(string? text, int maxBytes, string what, string parameter)
    {
        ArgumentNullException.ThrowIfNull(text, parameter);
        int bytes;
        try
        {
            bytes = StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException)
        {
            throw new ArgumentException($"A {what} must be valid Unicode text.", parameter);
        }

        if (bytes == 0 || bytes > maxBytes)
        {
            throw new ArgumentException($"A {what} must be 1 to {maxBytes} UTF-8 bytes, not {bytes}.", parameter);
        }

        return bytes;
    }

    /// <summary>Writes text already checked by <see cref="ByteCount"/>; returns the bytes written.</summary>
    internal static int Write(string text, Span<byte> destination) => StrictUtf8.GetBytes(text, destination);

    private static byte[] Encode(string? text, int maxBytes, string what, string parameter)
    {
        var bytes = new byte[ByteCount(text, maxBytes, what, parameter)];
        Write(text!, bytes);
        return bytes;
    }
}
