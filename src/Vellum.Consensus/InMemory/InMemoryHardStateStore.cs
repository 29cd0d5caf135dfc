namespace Vellum.Consensus.InMemory;

/// <summary>A hard-state store in memory, for tests and simulation: it survives a simulated crash because it is never lost.</summary>
public sealed class InMemoryHardStateStore : IHardStateStore
{
    private HardState _state;

    /// <summary>How many times the state was saved.</summary>
    public int Saves { get; private set; }

    /// <inheritdoc/>
    public HardState Load() => _state;

    /// <inheritdoc/>
    public void Save(HardState state)
    {
        _state = state;
        Saves++;
    }
}
