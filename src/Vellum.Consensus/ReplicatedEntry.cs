namespace Vellum.Consensus;

/// <summary>One log entry as consensus replicates it.</summary>
/// <param name="Term">The term (view) the entry was proposed in.</param>
/// <param name="Kind">Whether the entry is data, a signature or a membership change.</param>
/// <param name="Payload">The entry's bytes, opaque to consensus.</param>
/// <param name="Configuration">The membership the entry sets; required for, and only for, <see cref="LogEntryKind.Configuration"/>.</param>
public sealed record ReplicatedEntry(
    long Term,
    LogEntryKind Kind,
    ReadOnlyMemory<byte> Payload,
    ClusterConfiguration? Configuration = null)
{
    /// <summary>Checks that the kind and the configuration agree.</summary>
    /// <exception cref="ArgumentException">A configuration entry lacks its configuration, or another kind carries one.</exception>
    public void Validate()
    {
        if (Term < 1)
        {
            throw new ArgumentException($"Entry term {Term} is not positive.");
        }

        if ((Kind == LogEntryKind.Configuration) != (Configuration is not null))
        {
            throw new ArgumentException("A configuration entry, and only a configuration entry, carries a configuration.");
        }
    }
}
