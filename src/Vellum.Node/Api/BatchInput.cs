using System.Text.Json;
using Vellum.Node.Sequencing;

namespace Vellum.Node.Api;

/// <summary>
/// Reads and checks the body of <c>POST /app/transactions/batch</c>:
/// <c>{"entries":[{"contents":"...","collectionId":"..."?,"tags":["..."]?}, ...]}</c>. Every entry
/// is checked before any is written, and a bad entry refuses the whole batch with its index.
/// </summary>
internal static class BatchInput
{
    /// <summary>The most entries one batch may hold; the body is bounded by the node's request body limit as well.</summary>
    public const int MaxEntries = 1000;

    /// <summary>The entries of <paramref name="body"/>; unescaped contents are slices of it, not copies, so it must not change.</summary>
    public static IReadOnlyList<BatchWrite> Entries(ReadOnlyMemory<byte> body)
    {
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = 64 });
        List<BatchWrite>? entries = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw LedgerEntryInput.InvalidBody("The body must be a JSON object such as {\"entries\":[{\"contents\":\"...\"}]}.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!reader.ValueTextEquals("entries"u8))
                {
                    throw LedgerEntryInput.InvalidBody($"The body has an unknown member \"{reader.GetString()}\"; it holds only \"entries\".");
                }

                if (entries is not null)
                {
                    throw LedgerEntryInput.InvalidBody("The body gives \"entries\" more than once.");
                }

                reader.Read();
                entries = ReadEntries(ref reader, body);
            }

            if (reader.Read())
            {
                throw LedgerEntryInput.InvalidBody("The body holds more than one JSON value.");
            }
        }
        catch (JsonException exception)
        {
            var where = entries is null ? string.Empty : $" after entries[{entries.Count - 1}]";
            throw LedgerEntryInput.InvalidBody($"The body is not valid JSON{where}: {exception.Message}");
        }
        catch (InvalidOperationException exception)
        {
            // What the reader throws for a name or string that is not valid Unicode.
            throw LedgerEntryInput.InvalidBody($"The body holds text that is not valid Unicode: {exception.Message}");
        }

        return entries ?? throw LedgerEntryInput.InvalidBody("The body has no \"entries\" array.");
    }

    private static List<BatchWrite> ReadEntries(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw LedgerEntryInput.InvalidBody($"\"entries\" must be an array, not {LedgerEntryInput.Describe(reader.TokenType)}.");
        }

        var entries = new List<BatchWrite>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (entries.Count == MaxEntries)
            {
                throw LedgerEntryInput.InvalidBody($"A batch holds at most {MaxEntries} entries.");
            }

            try
            {
                entries.Add(ReadEntry(ref reader, body));
            }
            catch (ApiException exception)
            {
                throw new ApiException(exception.StatusCode, exception.Code, $"entries[{entries.Count}]: {exception.Message}");
            }
            catch (JsonException exception)
            {
                throw LedgerEntryInput.InvalidBody($"entries[{entries.Count}]: the body is not valid JSON: {exception.Message}");
            }
            catch (InvalidOperationException exception)
            {
                throw LedgerEntryInput.InvalidBody($"entries[{entries.Count}]: the entry holds text that is not valid Unicode: {exception.Message}");
            }
        }

        return entries.Count > 0 ? entries : throw LedgerEntryInput.InvalidBody("\"entries\" is empty; a batch holds at least one entry.");
    }

    private static BatchWrite ReadEntry(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw LedgerEntryInput.InvalidBody($"an entry must be an object such as {{\"contents\":\"...\"}}, not {LedgerEntryInput.Describe(reader.TokenType)}.");
        }

        ReadOnlyMemory<byte>? contents = null;
        string? collectionId = null;
        IReadOnlyList<string>? tags = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = MemberOf(ref reader);
            reader.Read();
            var seen = member switch
            {
                EntryMember.Contents => contents is not null,
                EntryMember.CollectionId => collectionId is not null,
                _ => tags is not null,
            };
            if (seen)
            {
                throw LedgerEntryInput.InvalidBody($"an entry gives \"{NameOf(member)}\" more than once.");
            }

            switch (member)
            {
                case EntryMember.Contents:
                    contents = reader.TokenType == JsonTokenType.String
                        ? LedgerEntryInput.Utf8StringIn(ref reader, body)
                        : throw LedgerEntryInput.InvalidBody($"\"contents\" must be a string, not {LedgerEntryInput.Describe(reader.TokenType)}.");
                    break;
                case EntryMember.CollectionId:
                    collectionId = LedgerEntryInput.CollectionId(ReadString(ref reader, "collectionId"));
                    break;
                default:
                    tags = LedgerEntryInput.Tags(ReadTags(ref reader));
                    break;
            }
        }

        return new BatchWrite(
            collectionId ?? LedgerEntryInput.DefaultCollectionId,
            tags ?? [],
            contents ?? throw LedgerEntryInput.InvalidBody("an entry has no \"contents\" string."));
    }

    private static EntryMember MemberOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("contents"u8))
        {
            return EntryMember.Contents;
        }

        if (reader.ValueTextEquals("collectionId"u8))
        {
            return EntryMember.CollectionId;
        }

        return reader.ValueTextEquals("tags"u8)
            ? EntryMember.Tags
            : throw LedgerEntryInput.InvalidBody($"an entry has an unknown member \"{reader.GetString()}\"; it may hold \"contents\", \"collectionId\" and \"tags\".");
    }

    private static string NameOf(EntryMember member) => member switch
    {
        EntryMember.Contents => "contents",
        EntryMember.CollectionId => "collectionId",
        _ => "tags",
    };

    private static List<string> ReadTags(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw ApiException.BadRequest(ErrorCodes.InvalidTags, $"\"tags\" must be an array of strings, not {LedgerEntryInput.Describe(reader.TokenType)}.");
        }

        var tags = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            tags.Add(ReadString(ref reader, "tags"));
        }

        return tags;
    }

    private static string ReadString(ref Utf8JsonReader reader, string member)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw LedgerEntryInput.InvalidBody($"\"{member}\" must hold strings, not {LedgerEntryInput.Describe(reader.TokenType)}.");
        }

        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException exception)
        {
            throw LedgerEntryInput.InvalidBody($"\"{member}\" is not valid Unicode text: {exception.Message}");
        }
    }

    private enum EntryMember
    {
        Contents,
        CollectionId,
        Tags,
    }
}
