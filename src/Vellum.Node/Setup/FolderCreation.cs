using System.Text;

namespace Vellum.Node.Setup;

/// <summary>
/// The mark that a data folder is being made (<c>DIR/CREATING</c>): written and fsynced before a
/// first start or <c>vellum recover</c> writes anything else, and removed once <c>vellum.json</c>
/// is durable. A folder without <c>vellum.json</c> is only ever redone from scratch when it holds
/// this mark; one that holds keys or ledger files without either was not left by an interrupted
/// creation (a lost <c>vellum.json</c>, a copy, a folder of something else) and is refused, since
/// redoing it would replace the ledger's keys.
/// </summary>
internal static class FolderCreation
{
    /// <summary>The mark's contents when a first start (<c>vellum start</c>) makes the folder.</summary>
    public const string FirstStart = "start";

    /// <summary>The mark's contents when <c>vellum recover</c> makes the folder.</summary>
    public const string Recovery = "recover";

    /// <summary>Which creation was interrupted in the folder (<see cref="FirstStart"/> or <see cref="Recovery"/>), or null when none was.</summary>
    public static string? Interrupted(DataDirectory directory) =>
        File.Exists(directory.CreationMark) ? File.ReadAllText(directory.CreationMark).Trim() : null;

    /// <summary>Marks the folder as being made by <paramref name="kind"/>, durably, before anything else is written.</summary>
    public static void Begin(DataDirectory directory, string kind) => directory.WritePublic(directory.CreationMark, Encoding.UTF8.GetBytes(kind + "\n"));

    /// <summary>Removes the mark, durably: call once <c>vellum.json</c> is.</summary>
    public static void Complete(DataDirectory directory) => directory.Delete(directory.CreationMark);

    /// <summary>
    /// The ledger files and keys in the folder, by name (<c>ledger/</c> when the ledger folder holds
    /// anything), <c>vellum.json</c> and the mark aside: what a creation must not write over unless
    /// the mark says an interrupted creation left them.
    /// </summary>
    public static List<string> ExistingFiles(DataDirectory directory)
    {
        var found = directory.CreatedFiles.Where(File.Exists).Select(Path.GetFileName).OfType<string>().ToList();
        if (Directory.Exists(directory.Ledger) && Directory.EnumerateFileSystemEntries(directory.Ledger).Any())
        {
            found.Add("ledger/");
        }

        return found;
    }

    /// <summary>Removes what an interrupted or failed creation wrote, the mark aside: every file of <see cref="ExistingFiles"/>, their temporary files, and the ledger folder.</summary>
    public static void Undo(DataDirectory directory)
    {
        foreach (var path in directory.CreatedFiles)
        {
            directory.Delete(path + ".tmp");
            directory.Delete(path);
        }

        if (Directory.Exists(directory.Ledger))
        {
            Directory.Delete(directory.Ledger, recursive: true);
        }
    }

    /// <summary>The refusal of a folder that holds <paramref name="found"/> but neither <c>vellum.json</c> nor the mark.</summary>
    public static NodeStartException Refusal(DataDirectory directory, IReadOnlyList<string> found, string command) => new(
        $"{directory.Root} holds {string.Join(", ", found)} but no vellum.json, and no first start or recovery was interrupted there, " +
        $"so {command} refuses it rather than write over a ledger's keys; nothing was changed. If vellum.json was lost, restore it " +
        "from a copy of this node's own folder and start again; to bring the ledger back from a backup, run vellum recover into a new, " +
        "empty folder; a vellum join that was interrupted is resumed by running it again. If no node ever served from this folder " +
        "(a first start that never finished, perhaps under an earlier version), remove these files and start again.");
}
