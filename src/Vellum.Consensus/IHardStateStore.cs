namespace Vellum.Consensus;

/// <summary>Durable storage for <see cref="HardState"/>.</summary>
public interface IHardStateStore
{
    /// <summary>The state last saved, or term 0 and no vote when nothing was ever saved.</summary>
    HardState Load();

    /// <summary>
    /// Saves <paramref name="state"/> durably before returning: a vote or a term that a crash
    /// could forget would let a node vote twice in one term.
    /// </summary>
    void Save(HardState state);
}
