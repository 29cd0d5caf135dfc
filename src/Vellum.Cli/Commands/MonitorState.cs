using System.Text;
using Vellum.Core.TreeHeads;

namespace Vellum.Cli.Commands;

/// <summary>
/// The monitor's memory: the last verified signed tree head, kept as the head's own JSON so that
/// the file can also be given to <c>vellum verify-consistency --from-head</c>. It is replaced
/// atomically (written beside, flushed, renamed over), so a crash leaves the old head or the new
/// one, never a torn file.
/// </summary>
internal static class MonitorState
{
    private const long MaxStateBytes = 1024 * 1024;

    /// <summary>
    /// Reads the remembered head: null when the file does not exist yet (the first check); false
    /// with a reason when it exists but cannot be used, which must not be overwritten.
    /// </summary>
    public static bool TryRead(string path, out SignedTreeHead? head, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        head = null;
        problem = null;
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            return true;
        }

        if (!InputFile.TryReadText(path, "monitor state", MaxStateBytes, out var text, out problem))
        {
            return false;
        }

        if (!SignedTreeHead.TryParse(text, out head, out var error))
        {
            problem = $"the monitor state file \"{path}\" does not hold a signed tree head ({error}); move it away to start afresh";
            return false;
        }

        return true;
    }

    /// <summary>Replaces the remembered head with <paramref name="head"/>.</summary>
    /// <exception cref="IOException">The file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder cannot be written.</exception>
    public static void Write(string path, SignedTreeHead head)
    {
        var full = Path.GetFullPath(path);
        var temporary = $"{full}.{Environment.ProcessId}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                file.Write(Encoding.UTF8.GetBytes(head.ToJson() + "\n"));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
