using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vellum.Node.Api;

/// <summary>Writes JSON bodies straight into the response pipe, without an intermediate string.</summary>
internal static class JsonResponses
{
    public const string ContentType = "application/json";

    // Relaxed escaping keeps PEM and contents readable ("+" stays "+"); the responses are JSON, never HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> write)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = ContentType;

        // A HEAD answer is headers only: over HTTP/2 Kestrel would send the body as DATA frames,
        // a protocol error that makes clients reset the stream.
        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        using (var writer = new Utf8JsonWriter(response.BodyWriter, WriterOptions))
        {
            write(writer);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    public static Task WriteAsync<TState>(HttpContext context, int statusCode, TState state, Action<Utf8JsonWriter, TState> write)
        => WriteAsync(context, statusCode, writer => write(writer, state));

    public static Task WriteErrorAsync(HttpContext context, int statusCode, string code, string message)
        => WriteAsync(context, statusCode, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("code", code);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
}
