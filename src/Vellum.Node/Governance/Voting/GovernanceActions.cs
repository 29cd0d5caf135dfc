namespace Vellum.Node.Governance.Voting;

/// <summary>
/// The actions a proposal may carry, named as in CCF's default constitution. Those that change
/// the consortium itself apply inside <see cref="Consortium"/>; the others are handed to the node
/// once their proposal is accepted.
/// </summary>
public static class GovernanceActions
{
    /// <summary>Adds or replaces a member: <c>{"cert": PEM, "encryption_pub_key": PEM?}</c>.</summary>
    public const string SetMember = "set_member";

    /// <summary>Removes a member: <c>{"member_id": hex}</c>.</summary>
    public const string RemoveMember = "remove_member";

    /// <summary>How many members' shares recover the ledger: <c>{"recovery_threshold": t}</c>.</summary>
    public const string SetRecoveryThreshold = "set_recovery_threshold";

    /// <summary>A new ledger secret for new entries: <c>{}</c>.</summary>
    public const string TriggerLedgerRekey = "trigger_ledger_rekey";

    /// <summary>Admits a node that asked to join: <c>{"node_id": hex}</c>.</summary>
    public const string TransitionNodeToTrusted = "transition_node_to_trusted";

    /// <summary>Retires a node: <c>{"node_id": hex}</c>.</summary>
    public const string RemoveNode = "remove_node";

    /// <summary>Trusts a bearer token issuer with its keys: <c>{"issuer": https URL, "jwks": {"keys": [...]}, "audience": string?, "auto_refresh": false?}</c>.</summary>
    public const string SetJwtIssuer = "set_jwt_issuer";

    /// <summary>Stops trusting a bearer token issuer: <c>{"issuer": https URL}</c>.</summary>
    public const string RemoveJwtIssuer = "remove_jwt_issuer";

    /// <summary>Opens a recovered service to users: <c>{"next_service_identity": PEM}</c>, the recovered service's certificate.</summary>
    public const string TransitionServiceToOpen = "transition_service_to_open";

    // Every action with the arguments it takes, in the order the docs list them. A proposal
    // giving any other argument is refused when proposed, rather than recorded with it ignored.
    private static readonly (string Name, string[] Arguments)[] Table =
    [
        (SetMember, ["cert", "encryption_pub_key"]),
        (RemoveMember, ["member_id"]),
        (SetRecoveryThreshold, ["recovery_threshold"]),
        (TriggerLedgerRekey, []),
        (TransitionNodeToTrusted, ["node_id"]),
        (RemoveNode, ["node_id"]),
        (SetJwtIssuer, ["issuer", "jwks", "audience", "auto_refresh"]),
        (RemoveJwtIssuer, ["issuer"]),
        (TransitionServiceToOpen, ["next_service_identity"]),
    ];

    /// <summary>Every action's name, in the order the docs list them.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Table.Select(action => action.Name)];

    /// <summary>The arguments each action takes, by its name.</summary>
    public static IReadOnlyDictionary<string, string[]> Arguments { get; } = Table.ToDictionary(action => action.Name, action => action.Arguments, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="name"/> is an action's name.</summary>
    public static bool IsKnown(string name) => Arguments.ContainsKey(name);

    /// <summary>Whether the node carries the action out once its proposal is accepted: the consortium's own actions, trusting and retiring nodes, token issuers, rekeying, and opening a recovered service.</summary>
    public static bool IsCarriedOut(string name) => ChangesConsortium(name) || name is RemoveNode or TransitionNodeToTrusted or SetJwtIssuer or RemoveJwtIssuer or TriggerLedgerRekey or TransitionServiceToOpen;

    /// <summary>Whether the action changes the consortium (members, threshold), and so applies inside it.</summary>
    public static bool ChangesConsortium(string name) => name is SetMember or RemoveMember or SetRecoveryThreshold;
}
