namespace Vellum.Consensus.Messages;

/// <summary>A message between two consensus participants.</summary>
/// <param name="From">The sender.</param>
/// <param name="To">The receiver.</param>
/// <param name="Term">The sender's term, or for a pre-vote request the term it would campaign in.</param>
public abstract record RaftMessage(NodeId From, NodeId To, long Term);
