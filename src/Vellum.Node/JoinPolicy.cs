namespace Vellum.Node;

/// <summary>How a primary answers nodes that ask to join (<c>POST /node/join</c>).</summary>
public enum JoinPolicy
{
    /// <summary>
    /// Admit any node whose attestation verifies. On the virtual platform anyone can make that
    /// attestation, so a reachable API port admits anyone; see docs/threat-model.md.
    /// </summary>
    Open,

    /// <summary>Admit a node once an accepted governance proposal trusts it (<c>transition_node_to_trusted</c>); until then its request is pending.</summary>
    Consortium,

    /// <summary>Admit no node.</summary>
    Closed,
}
