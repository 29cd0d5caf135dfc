using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vellum.Cli.Commands;

/// <summary>
/// The body of <c>POST /gov/proposals</c>, <c>{"actions":[{"name":..,"args":{..}}]}</c>: read from a file as is,
/// or made from one action and its <c>key=value</c> arguments. An argument's value is a string, except that
/// <c>@path</c> stands for the text of that file, a whole number given for <c>recovery_threshold</c> is sent
/// as a JSON number, <c>true</c> or <c>false</c> for <c>auto_refresh</c> as a JSON boolean, and the value of <c>jwks</c> (a key set, usually <c>@path</c>) is sent as the JSON it holds.
/// Anything else (a number elsewhere, a value that starts with @) goes in a proposal file.
/// </summary>
internal static class ProposalBody
{
    /// <summary>The argument whose whole-number values are sent as JSON numbers, as the constitution expects.</summary>
    public const string NumericArgument = "recovery_threshold";

    /// <summary>The argument whose values <c>true</c> and <c>false</c> are sent as JSON booleans: <c>set_jwt_issuer</c>'s, as in CCF.</summary>
    public const string BooleanArgument = "auto_refresh";

    /// <summary>The argument whose value is JSON and sent as such: <c>set_jwt_issuer</c>'s key set, an object as in CCF.</summary>
    public const string JsonArgument = "jwks";

    // Certificates and keys are a few kilobytes; the bound keeps a wrong path from being read whole.
    private const long MaxFileBytes = 1024 * 1024;

    /// <summary>Reads a proposal file, which must hold one JSON object; the server judges its actions.</summary>
    public static bool TryRead(string path, [NotNullWhen(true)] out string? body, [NotNullWhen(false)] out string? problem)
    {
        body = null;
        if (!InputFile.TryReadText(path, "proposal", MaxFileBytes, out var text, out problem))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(text);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                problem = $"the proposal file \"{path}\" holds JSON but not an object such as {{\"actions\":[...]}}";
                return false;
            }
        }
        catch (JsonException exception)
        {
            problem = $"the proposal file \"{path}\" is not JSON: {exception.Message}";
            return false;
        }

        body = text;
        return true;
    }

    /// <summary>
    /// Makes a body with the one action <paramref name="name"/> and its <paramref name="arguments"/> (<c>key=value</c>).
    /// Fails with <see cref="ExitCodes.Usage"/> for a malformed or repeated argument, and with
    /// <see cref="ExitCodes.Failure"/> for an <c>@path</c> that cannot be read.
    /// </summary>
    public static bool TryMake(string name, IReadOnlyList<string> arguments, [NotNullWhen(true)] out string? body, out int exitCode, [NotNullWhen(false)] out string? problem)
    {
        body = null;
        exitCode = ExitCodes.Usage;
        var values = new List<KeyValuePair<string, string>>();
        foreach (var argument in arguments)
        {
            var equals = argument.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                problem = $"--arg must be KEY=VALUE, not \"{argument}\"";
                return false;
            }

            var key = argument[..equals];
            if (values.Any(value => value.Key == key))
            {
                problem = $"--arg {key} is given twice";
                return false;
            }

            values.Add(new(key, argument[(equals + 1)..]));
        }

        exitCode = ExitCodes.Failure;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("actions");
            writer.WriteStartObject();
            writer.WriteString("name", name);
            writer.WriteStartObject("args");
            foreach (var (key, value) in values)
            {
                if (!TryWriteArgument(writer, key, value, out problem))
                {
                    return false;
                }
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        body = Encoding.UTF8.GetString(buffer.ToArray());
        problem = null;
        return true;
    }

    private static bool TryWriteArgument(Utf8JsonWriter writer, string key, string value, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        var text = value;
        if (value.StartsWith('@') && !InputFile.TryReadText(value[1..], $"--arg {key}", MaxFileBytes, out text, out problem))
        {
            return false;
        }

        if (key == JsonArgument)
        {
            return TryWriteJson(writer, key, text, out problem);
        }

        if (value.StartsWith('@'))
        {
            writer.WriteString(key, text);
        }
        else if (key == NumericArgument && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            writer.WriteNumber(key, number);
        }
        else if (key == BooleanArgument && value is "true" or "false")
        {
            writer.WriteBoolean(key, value == "true");
        }
        else
        {
            writer.WriteString(key, value);
        }

        return true;
    }

    private static bool TryWriteJson(Utf8JsonWriter writer, string key, string text, [NotNullWhen(false)] out string? problem)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            writer.WritePropertyName(key);
            document.RootElement.WriteTo(writer);
            problem = null;
            return true;
        }
        catch (JsonException exception)
        {
            problem = $"--arg {key} must be JSON, such as a key set {{\"keys\":[...]}} or @FILE holding one: {exception.Message}";
            return false;
        }
    }
}
