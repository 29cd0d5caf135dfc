using System.Collections.Immutable;

namespace Vellum.Consensus;

/// <summary>
/// The membership of the cluster: voters, whose majority commits entries and elects leaders, and
/// learners, which receive the log but do not count (new nodes catch up as learners first).
/// </summary>
public sealed class ClusterConfiguration : IEquatable<ClusterConfiguration>
{
    /// <summary>The configuration with no members: a node waiting to be told whom it belongs to.</summary>
    public static readonly ClusterConfiguration Empty = new([], []);

    /// <summary>Creates a configuration; a node may not be both a voter and a learner.</summary>
    /// <exception cref="ArgumentException">A node is listed as both.</exception>
    public ClusterConfiguration(IEnumerable<NodeId> voters, IEnumerable<NodeId> learners)
    {
        Voters = [.. voters];
        Learners = [.. learners];
        if (Voters.Overlaps(Learners))
        {
            throw new ArgumentException("A node is either a voter or a learner, not both.");
        }
    }

    /// <summary>The nodes whose majority commits entries and elects leaders.</summary>
    public ImmutableSortedSet<NodeId> Voters { get; }

    /// <summary>The nodes that receive the log without voting.</summary>
    public ImmutableSortedSet<NodeId> Learners { get; }

    /// <summary>How many voters make a majority.</summary>
    public int Quorum => (Voters.Count / 2) + 1;

    /// <summary>Every member, voters first.</summary>
    public IEnumerable<NodeId> Members => Voters.Concat(Learners);

    /// <summary>A configuration of voters only.</summary>
    public static ClusterConfiguration OfVoters(params NodeId[] voters) => new(voters, []);

    /// <summary>Whether <paramref name="node"/> votes.</summary>
    public bool IsVoter(NodeId node) => Voters.Contains(node);

    /// <summary>Whether <paramref name="node"/> is a voter or a learner.</summary>
    public bool Contains(NodeId node) => Voters.Contains(node) || Learners.Contains(node);

    /// <summary>This configuration with <paramref name="node"/> added as a learner.</summary>
    public ClusterConfiguration WithLearner(NodeId node) => new(Voters.Remove(node), Learners.Add(node));

    /// <summary>This configuration with <paramref name="node"/> made a voter.</summary>
    public ClusterConfiguration WithVoter(NodeId node) => new(Voters.Add(node), Learners.Remove(node));

    /// <summary>This configuration without <paramref name="node"/>.</summary>
    public ClusterConfiguration Without(NodeId node) => new(Voters.Remove(node), Learners.Remove(node));

    /// <summary>
    /// How many voters differ between this configuration and <paramref name="other"/>: changes
    /// are safe one voter at a time, because any majority of the old voters then overlaps any
    /// majority of the new ones.
    /// </summary>
    public int VoterChangesTo(ClusterConfiguration other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Voters.Except(other.Voters).Count + other.Voters.Except(Voters).Count;
    }

    /// <inheritdoc/>
    public bool Equals(ClusterConfiguration? other) =>
        other is not null && Voters.SetEquals(other.Voters) && Learners.SetEquals(other.Learners);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ClusterConfiguration);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var voter in Voters)
        {
            hash.Add(voter);
        }

        hash.Add(Learners.Count);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"voters [{string.Join(", ", Voters)}]" + (Learners.IsEmpty ? string.Empty : $", learners [{string.Join(", ", Learners)}]");
}
