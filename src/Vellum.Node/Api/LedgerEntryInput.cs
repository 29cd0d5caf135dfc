using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Vellum.Core.Entries;

namespace Vellum.Node.Api;

/// <summary>Checks what a caller names or sends for a ledger entry: collection ids, tags and the body.</summary>
internal static class LedgerEntryInput
{
    /// <summary>ACL's default collection, used when a request names none.</summary>
    public const string DefaultCollectionId = "subledger:0";

    /// <summary>Collections whose ids start with this hold the node's own records (users and roles); callers cannot write or list them.</summary>
    public const string ReservedCollectionPrefix = "vellum:";

    /// <summary>The longest collection id accepted, in UTF-8 bytes.</summary>
    public const int MaxCollectionIdBytes = 256;

    public static string CollectionId(string? text)
    {
        if (text is null)
        {
            return DefaultCollectionId;
        }

        var problem = TextProblem(text, MaxCollectionIdBytes);
        if (problem is not null)
        {
            throw ApiException.BadRequest(ErrorCodes.InvalidCollectionId, $"The collection id {problem}.");
        }

        if (text.StartsWith(ReservedCollectionPrefix, StringComparison.Ordinal))
        {
            throw ApiException.BadRequest(ErrorCodes.InvalidCollectionId, $"Collection ids starting with \"{ReservedCollectionPrefix}\" are reserved for the node's own records.");
        }

        return text;
    }

    /// <summary>The comma-separated tags of a write: distinct, each valid, at most <see cref="EntryCodec.MaxTags"/>.</summary>
    public static IReadOnlyList<string> Tags(string? text)
    {
        if (text is null)
        {
            return [];
        }

        return Tags(text.Split(','));
    }

    /// <summary>The tags of a write, each valid and distinct, at most <see cref="EntryCodec.MaxTags"/>.</summary>
    public static IReadOnlyList<string> Tags(IReadOnlyList<string> tags)
    {
        if (tags.Count > EntryCodec.MaxTags)
        {
            throw ApiException.BadRequest(ErrorCodes.InvalidTags, $"An entry may carry at most {EntryCodec.MaxTags} tags, not {tags.Count}.");
        }

        // A comma is refused in a write's tag: ACL answers an entry's tags as one comma-separated
        // string, and a single append lists them that way, so a tag holding one could not be told
        // from two. (A query may still filter by one, which older batches could store.)
        foreach (var tag in tags)
        {
            Tag(tag);
            if (tag.Contains(',', StringComparison.Ordinal))
            {
                throw ApiException.BadRequest(ErrorCodes.InvalidTags, $"The tag \"{Printable(tag)}\" contains a comma, which separates tags.");
            }
        }

        if (tags.Distinct(StringComparer.Ordinal).Count() != tags.Count)
        {
            throw ApiException.BadRequest(ErrorCodes.InvalidTags, "The tags repeat a tag.");
        }

        return tags;
    }

    /// <summary>One tag, as a write names it or a query filters by it.</summary>
    public static string Tag(string text)
    {
        var problem = TextProblem(text, EntryCodec.MaxTagBytes);
        return problem is null ? text : throw ApiException.BadRequest(ErrorCodes.InvalidTags, $"The tag \"{Printable(text)}\" {problem}.");
    }

    /// <summary>
    /// The UTF-8 bytes of the <c>contents</c> string of a <c>LedgerEntry</c> body. The body must be
    /// one JSON object; other members (ACL's read-only <c>collectionId</c>, <c>transactionId</c>)
    /// are ignored. Unescaped contents are a slice of the body, never copied through a string, so
    /// the body must not change.
    /// </summary>
    public static ReadOnlyMemory<byte> Contents(ReadOnlyMemory<byte> body)
    {
        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = 64 });
        ReadOnlyMemory<byte>? contents = null;
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw InvalidBody("The body must be a JSON object such as {\"contents\":\"...\"}.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isContents = reader.ValueTextEquals("contents"u8);
                if (!isContents && !JsonStrings.IsValidText(ref reader))
                {
                    throw InvalidBody("A member name in the body is not valid Unicode text.");
                }

                reader.Read();
                if (!isContents)
                {
                    // Other members are ignored, as ACL ignores them, but must still be valid text.
                    if (!JsonStrings.SkipCheckingText(ref reader))
                    {
                        throw InvalidBody("An ignored member of the body holds text that is not valid Unicode.");
                    }

                    continue;
                }

                if (contents is not null)
                {
                    throw InvalidBody("The body gives \"contents\" more than once.");
                }

                contents = reader.TokenType == JsonTokenType.String
                    ? Utf8StringIn(ref reader, body)
                    : throw InvalidBody($"\"contents\" must be a string, not {Describe(reader.TokenType)}.");
            }

            if (reader.Read())
            {
                throw InvalidBody("The body holds more than one JSON value.");
            }
        }
        catch (JsonException exception)
        {
            throw InvalidBody($"The body is not valid JSON: {exception.Message}");
        }

        return contents ?? throw InvalidBody("The body has no \"contents\" string.");
    }

    /// <summary>
    /// The UTF-8 bytes of the contents string <paramref name="reader"/> is on, within
    /// <paramref name="body"/>: a slice of the body when the string has no escapes, once checked to
    /// be UTF-8 (the reader does not check that), else decoded, checked and encoded afresh.
    /// </summary>
    internal static ReadOnlyMemory<byte> Utf8StringIn(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            // A string token starts at its opening quote.
            var value = reader.ValueSpan;
            return Utf8.IsValid(value)
                ? body.Slice(checked((int)reader.TokenStartIndex) + 1, value.Length)
                : throw InvalidBody("\"contents\" is not valid UTF-8.");
        }

        string text;
        try
        {
            text = reader.GetString()!;
        }
        catch (InvalidOperationException exception)
        {
            throw InvalidBody($"\"contents\" is not valid Unicode text: {exception.Message}");
        }

        return TextProblem(text, int.MaxValue, allowControl: true) is { } problem
            ? throw InvalidBody($"\"contents\" {problem}.")
            : Encoding.UTF8.GetBytes(text);
    }

    private static string? TextProblem(string text, int maxBytes, bool allowControl = false)
    {
        if (text.Length == 0)
        {
            return allowControl ? null : "is empty";
        }

        if (!allowControl && text.Any(char.IsControl))
        {
            return "contains control characters";
        }

        try
        {
            EntryText.ByteCount(text, maxBytes, "text", nameof(text));
        }
        catch (ArgumentException)
        {
            return $"is longer than {maxBytes} UTF-8 bytes or not valid Unicode";
        }

        return null;
    }

    private static string Printable(string text) => new([.. text.Take(64).Select(c => char.IsControl(c) ? '?' : c)]);

    internal static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    internal static ApiException InvalidBody(string message) => ApiException.BadRequest(ErrorCodes.InvalidRequestBody, message);
}
