using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Vellum.Node.Api;

/// <summary>Reads and checks what a request carries: its query parameters, content type and body.</summary>
internal static class RequestReading
{
    /// <summary>
    /// How request bodies are parsed into documents: a member given twice is refused, so that no
    /// reader of the body can see a different value from the one the node acts on.
    /// </summary>
    public static readonly JsonDocumentOptions BodyJson = new() { AllowDuplicateProperties = false };

    /// <summary>The single value of query parameter <paramref name="name"/>, or null; repeated different values are refused.</summary>
    public static string? OptionalQuery(HttpContext context, string name)
    {
        var values = context.Request.Query[name];
        if (values.Count == 0)
        {
            return null;
        }

        var first = values[0] ?? string.Empty;
        for (var i = 1; i < values.Count; i++)
        {
            if (values[i] != first)
            {
                throw ApiException.BadRequest(ErrorCodes.InvalidQueryParameter, $"The query parameter {name} is given more than once with different values.");
            }
        }

        return first;
    }

    public static bool OptionalBooleanQuery(HttpContext context, string name)
    {
        var text = OptionalQuery(context, name);
        if (text is null)
        {
            return false;
        }

        return bool.TryParse(text, out var value)
            ? value
            : throw ApiException.BadRequest(ErrorCodes.InvalidQueryParameter, $"The query parameter {name} must be true or false, not \"{text}\".");
    }

    /// <summary>Refuses a body whose content type is not one of <paramref name="accepted"/> (a charset parameter is allowed).</summary>
    public static void RequireContentType(HttpContext context, params ReadOnlySpan<string> accepted)
    {
        var header = context.Request.ContentType;
        foreach (var type in accepted)
        {
            // What clients almost always send, checked without parsing the header.
            if (string.Equals(header, type, StringComparison.OrdinalIgnoreCase))
            {
                return;
            }
        }

        if (header is not null && MediaTypeHeaderValue.TryParse(header, out var mediaType))
        {
            foreach (var type in accepted)
            {
                if (mediaType.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase))
                {
                    return;
                }
            }
        }

        throw new ApiException(
            StatusCodes.Status415UnsupportedMediaType,
            ErrorCodes.UnsupportedMediaType,
            $"The body must be sent as {string.Join(" or ", accepted.ToArray())}, not {(header is null ? "without a Content-Type" : header)}.");
    }

    /// <summary>Reads the whole body, refusing one over <paramref name="maxBytes"/> with 413; a body already received is read without allocating a task.</summary>
    public static async ValueTask<byte[]> ReadBodyAsync(HttpContext context, int maxBytes)
    {
        if (context.Request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }

        var reader = context.Request.BodyReader;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(context.RequestAborted);
            }
            catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw TooLarge(maxBytes);
            }

            var buffer = result.Buffer;
            if (buffer.Length > maxBytes)
            {
                throw TooLarge(maxBytes);
            }

            if (result.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }

            // Nothing consumed, everything examined: wait for more bytes.
            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static ApiException TooLarge(int maxBytes)
        => new(StatusCodes.Status413PayloadTooLarge, ErrorCodes.RequestBodyTooLarge, $"The request body is larger than the node's limit of {maxBytes} bytes.");
}
