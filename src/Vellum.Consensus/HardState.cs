namespace Vellum.Consensus;

/// <summary>What a node must remember across a crash before it answers: its term and its vote in that term.</summary>
/// <param name="Term">The latest term the node has seen.</param>
/// <param name="VotedFor">The candidate the node voted for in <paramref name="Term"/>, if any.</param>
public readonly record struct HardState(long Term, NodeId? VotedFor);
