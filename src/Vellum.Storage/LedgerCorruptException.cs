namespace Vellum.Storage;

/// <summary>
/// Ledger files hold damage that repair must not paper over: a bad record inside a closed
/// chunk, a missing chunk, or entries that disagree with a signed root. Names the file and offset.
/// </summary>
public sealed class LedgerCorruptException : IOException
{
    /// <summary>Creates the exception for damage at <paramref name="offset"/> of <paramref name="path"/>.</summary>
    public LedgerCorruptException(string path, long offset, string problem)
        : base($"Ledger file {path} is corrupt at offset {offset}: {problem}")
    {
        Path = path;
        Offset = offset;
        Problem = problem;
    }

    /// <summary>Creates the exception for damage that is not at one offset (a missing file, a gap).</summary>
    public LedgerCorruptException(string problem)
        : base($"Ledger is corrupt: {problem}")
    {
        Path = string.Empty;
        Offset = -1;
        Problem = problem;
    }

    /// <summary>The damaged file, or empty when the damage is not in one file.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the file and offset.</summary>
    public string Problem { get; }

    /// <summary>The offset of the damage in <see cref="Path"/>, or -1.</summary>
    public long Offset { get; }
}
