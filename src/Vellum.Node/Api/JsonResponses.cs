using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vellum.Node.Api;

/// <summary>Writes JSON bodies straight into the response pipe, without an intermediate string.</summary>
internal static class JsonResponses
{
    public const string ContentType = "application/json";

    // Relaxed escaping keeps PEM and contents readable ("+" stays "+"); the responses are JSON, never HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // One writer per thread, pointed at each response in turn: a body is written synchronously,
    // with no await between taking the writer and flushing it, so a thread never shares it.
    [ThreadStatic]
    private static Utf8JsonWriter? _threadWriter;

    // Where an idle writer points, so that it holds no finished response's pipe.
    private static readonly ArrayBufferWriter<byte> NoOutput = new(1);

    public static Task WriteAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> write)
        => WriteAsync(context, statusCode, write, static (writer, write) => write(writer));

    public static async Task WriteAsync<TState>(HttpContext context, int statusCode, TState state, Action<Utf8JsonWriter, TState> write)
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

        var writer = _threadWriter ??= new Utf8JsonWriter(NoOutput, WriterOptions);
        writer.Reset(response.BodyWriter);
        try
        {
            write(writer, state);
            writer.Flush();
        }
        finally
        {
            writer.Reset(NoOutput);
        }

        await response.BodyWriter.FlushAsync(context.RequestAborted);
    }

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
