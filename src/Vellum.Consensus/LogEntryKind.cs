namespace Vellum.Consensus;

/// <summary>What consensus needs to know about a log entry; its contents are the host's.</summary>
public enum LogEntryKind
{
    /// <summary>An application or governance write.</summary>
    Data,

    /// <summary>A signature transaction: the only kind of entry that can become committed on its own (CCF's rule).</summary>
    Signature,

    /// <summary>A change of the cluster's membership; it takes effect as soon as it is in the log.</summary>
    Configuration,
}
