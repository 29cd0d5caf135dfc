namespace Vellum.Node.Sequencing;

/// <summary>
/// When the node appends a signature transaction. It signs whenever no write is waiting (so a
/// lone write commits within a fsync), except that while its last signature still waits for the
/// flusher it signs again only for a writer waiting for commit; and under continuous load at
/// least every <see cref="MaxInterval"/> and every <see cref="MaxUnsignedEntries"/> entries.
/// </summary>
public sealed class SignatureCadence
{
    /// <summary>The longest time entries wait unsigned while writes keep arriving.</summary>
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The most entries appended between two signatures.</summary>
    public int MaxUnsignedEntries { get; init; } = 10_000;
}
