using System.Diagnostics.CodeAnalysis;

namespace Vellum.Cli;

/// <summary>
/// Reads a file named on the command line, turning every way it can fail into one sentence that
/// names the file, so that commands report bad input instead of printing a stack trace.
/// </summary>
internal static class InputFile
{
    /// <summary>
    /// Reads <paramref name="path"/> as UTF-8 text (a byte order mark is skipped).
    /// </summary>
    /// <param name="path">The path as the user typed it.</param>
    /// <param name="what">What the file should hold, for messages: "receipt", "service certificate".</param>
    /// <param name="maxBytes">The largest file accepted; inputs are read whole, so a bound keeps a wrong path from exhausting memory.</param>
    /// <param name="text">The contents, when read.</param>
    /// <param name="error">Why the file could not be read, when it could not.</param>
    public static bool TryReadText(
        string path,
        string what,
        long maxBytes,
        [NotNullWhen(true)] out string? text,
        [NotNullWhen(false)] out string? error)
    {
        text = null;
        if (string.IsNullOrWhiteSpace(path))
        {
            error = $"the {what} file name is empty";
            return false;
        }

        var name = $"the {what} file \"{path}\"";
        try
        {
            if (Directory.Exists(path))
            {
                error = $"{name} is a directory";
                return false;
            }

            var info = new FileInfo(path);
            if (!info.Exists)
            {
                error = $"{name} does not exist";
                return false;
            }

            if (info.Length > maxBytes)
            {
                error = $"{name} is {info.Length} bytes, more than the {maxBytes} bytes a {what} may have";
                return false;
            }

            text = File.ReadAllText(path);
            error = null;
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error = $"{name} cannot be read: {exception.Message}";
            return false;
        }
    }
}
