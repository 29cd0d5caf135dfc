using System.Collections.Frozen;

namespace Vellum.Node.Access;

/// <summary>
/// ACL's action strings and the actions each built-in role grants, verbatim from CCF's
/// <c>set_builtin_roles_actions</c> proposal (ACL-WIRE.md §5). Custom roles may grant these and
/// any other free-form strings.
/// </summary>
public static class LedgerActions
{
    /// <summary>The prefix every built-in action starts with.</summary>
    public const string Prefix = "Microsoft.ConfidentialLedger/ledger/";

    /// <summary>Read the constitution.</summary>
    public const string GovernanceConstitutionRead = Prefix + "governance/constitution/read";

    /// <summary>Read the consortium members.</summary>
    public const string GovernanceMembersRead = Prefix + "governance/members/read";

    /// <summary>Read the enclave quotes.</summary>
    public const string EnclavesRead = Prefix + "enclaves/read";

    /// <summary>Read ledger entries.</summary>
    public const string Read = Prefix + "read";

    /// <summary>Query historical entries (ranges of transactions).</summary>
    public const string HistoricalQuery = Prefix + "historicalQuery";

    /// <summary>Read transaction receipts.</summary>
    public const string ReceiptsRead = Prefix + "receipts/read";

    /// <summary>Read transaction status.</summary>
    public const string TransactionsStatusRead = Prefix + "transactions/status/read";

    /// <summary>List collections.</summary>
    public const string CollectionsRead = Prefix + "collections/read";

    /// <summary>List sub-ledger ids.</summary>
    public const string SubLedgerIdsRead = Prefix + "subLedgerIds/read";

    /// <summary>List all users.</summary>
    public const string UsersReadAll = Prefix + "users/readall";

    /// <summary>Read one user.</summary>
    public const string UsersRead = Prefix + "users/read";

    /// <summary>Read role definitions.</summary>
    public const string RoleDefinitionsRead = Prefix + "roleDefinitions/read";

    /// <summary>Append ledger entries.</summary>
    public const string Append = Prefix + "append";

    /// <summary>Add users or change their roles.</summary>
    public const string UsersWrite = Prefix + "users/write";

    /// <summary>Remove users.</summary>
    public const string UsersDelete = Prefix + "users/delete";

    /// <summary>Create or change custom roles.</summary>
    public const string RoleDefinitionsWrite = Prefix + "roleDefinitions/write";

    /// <summary>Remove custom roles.</summary>
    public const string RoleDefinitionsDelete = Prefix + "roleDefinitions/delete";

    /// <summary>Deploy user-defined endpoints and functions.</summary>
    public const string EndpointsWrite = Prefix + "endpoints/write";

    /// <summary>Read user-defined endpoints and functions.</summary>
    public const string EndpointsRead = Prefix + "endpoints/read";

    /// <summary>The actions of the built-in Reader role, in ACL's order.</summary>
    public static IReadOnlyList<string> ReaderActions { get; } =
    [
        GovernanceConstitutionRead, GovernanceMembersRead, EnclavesRead, Read, HistoricalQuery, ReceiptsRead,
        TransactionsStatusRead, CollectionsRead, SubLedgerIdsRead, UsersReadAll, UsersRead, RoleDefinitionsRead,
    ];

    /// <summary>The actions of the built-in Contributor role: Reader's and <see cref="Append"/>.</summary>
    public static IReadOnlyList<string> ContributorActions { get; } = [.. ReaderActions, Append];

    /// <summary>The actions of the built-in Administrator role: Contributor's and user, role and endpoint management.</summary>
    public static IReadOnlyList<string> AdministratorActions { get; } =
    [
        .. ContributorActions, UsersWrite, UsersDelete, RoleDefinitionsWrite, RoleDefinitionsDelete, EndpointsWrite, EndpointsRead,
    ];

    internal static FrozenSet<string> ReaderSet { get; } = ReaderActions.ToFrozenSet(StringComparer.Ordinal);

    internal static FrozenSet<string> ContributorSet { get; } = ContributorActions.ToFrozenSet(StringComparer.Ordinal);

    internal static FrozenSet<string> AdministratorSet { get; } = AdministratorActions.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The actions of a built-in role named in any case, or null for any other name.</summary>
    public static IReadOnlyList<string>? ForBuiltInRole(string roleName) =>
        RoleNames.TryGetBuiltIn(roleName, out var canonical)
            ? canonical switch
            {
                RoleNames.Administrator => AdministratorActions,
                RoleNames.Contributor => ContributorActions,
                _ => ReaderActions,
            }
            : null;

    /// <summary>Why <paramref name="action"/> cannot be granted by a role, or null when it can.</summary>
    public static string? FindProblem(string action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var problem = AccessText.FindProblem(action, AccessLimits.MaxActionLengthChars, refuseWhitespaceAndSlash: false);
        return problem is null ? null : $"The action {problem}.";
    }
}
