namespace Vellum.Consensus;

/// <summary>
/// The name of one consensus participant. The node derives it from its identity key, so it
/// stays the same across restarts and certificate renewals.
/// </summary>
/// <param name="Value">A non-empty string with no whitespace.</param>
public readonly record struct NodeId(string Value) : IComparable<NodeId>
{
    /// <inheritdoc/>
    public int CompareTo(NodeId other) => string.CompareOrdinal(Value, other.Value);

    /// <summary>Orders ids ordinally.</summary>
    public static bool operator <(NodeId left, NodeId right) => left.CompareTo(right) < 0;

    /// <summary>Orders ids ordinally.</summary>
    public static bool operator <=(NodeId left, NodeId right) => left.CompareTo(right) <= 0;

    /// <summary>Orders ids ordinally.</summary>
    public static bool operator >(NodeId left, NodeId right) => left.CompareTo(right) > 0;

    /// <summary>Orders ids ordinally.</summary>
    public static bool operator >=(NodeId left, NodeId right) => left.CompareTo(right) >= 0;

    /// <inheritdoc/>
    public override string ToString() => Value;
}
