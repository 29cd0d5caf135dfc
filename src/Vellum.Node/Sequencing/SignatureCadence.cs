namespace Vellum.Node.Sequencing;

/// <summary>
/// When the node appends a signature transaction. It signs as soon as no write is queued if a
/// writer waits for commit (so such a write commits within a fsync); entries nobody waits for are
/// signed at most <see cref="MaxInterval"/> after the first of them, and at least every
/// <see cref="MaxUnsignedEntries"/> entries. A batch is never split by the cadence: a signature
/// it calls for inside one comes after it.
/// </summary>
public sealed class SignatureCadence
{
    /// <summary>The longest time an entry waits unsigned when no writer waits for its commit.</summary>
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The most entries appended between two signatures, but for the rest of a batch that passes it.</summary>
    public int MaxUnsignedEntries { get; init; } = 10_000;
}
