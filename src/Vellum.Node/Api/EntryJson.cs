using System.Text.Json;
using Vellum.Core;
using Vellum.Core.Entries;

namespace Vellum.Node.Api;

/// <summary>
/// A ledger entry as the read routes answer it: <c>{"contents","collectionId","transactionId","tags"?}</c>,
/// <c>tags</c> as ACL gives them, one comma-separated string, absent when there are none.
/// </summary>
internal static class EntryJson
{
    // Most tag lists fit here; the longest possible (32 tags of 255 bytes) gets an array.
    private const int StackTagBytes = 256;

    /// <summary>Writes a decoded write.</summary>
    public static void Write(Utf8JsonWriter writer, WriteEntry write)
    {
        writer.WriteStartObject();
        writer.WriteString("contents"u8, write.Contents);
        writer.WriteString("collectionId"u8, write.CollectionId);
        WriteId(writer, write.Header.Id);
        if (write.Tags.Count > 0)
        {
            writer.WriteString("tags"u8, string.Join(',', write.Tags));
        }

        writer.WriteEndObject();
    }

    /// <summary>Writes a public write from its stored UTF-8, without decoding it into strings: what a page of a range read does a hundred times.</summary>
    public static void Write(Utf8JsonWriter writer, WriteEntryView write)
    {
        writer.WriteStartObject();
        writer.WriteString("contents"u8, write.Contents);
        writer.WriteString("collectionId"u8, write.CollectionId);
        WriteId(writer, write.Header.Id);
        if (write.TagCount > 0)
        {
            var length = write.TagCount - 1;
            foreach (var tag in write.Tags)
            {
                length += tag.Length;
            }

            Span<byte> joined = length <= StackTagBytes ? stackalloc byte[StackTagBytes] : new byte[length];
            var at = 0;
            foreach (var tag in write.Tags)
            {
                if (at > 0)
                {
                    joined[at++] = (byte)',';
                }

                tag.CopyTo(joined[at..]);
                at += tag.Length;
            }

            writer.WriteString("tags"u8, joined[..at]);
        }

        writer.WriteEndObject();
    }

    private static void WriteId(Utf8JsonWriter writer, TransactionId id)
    {
        Span<char> text = stackalloc char[TransactionId.MaxChars];
        Invariant.Check(id.TryFormat(text, out var length, default, null), "a transaction id fits its longest form");
        writer.WriteString("transactionId"u8, text[..length]);
    }
}
