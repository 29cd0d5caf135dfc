using System.Net;
using Vellum.Node.Access;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

/// <summary>
/// Every route the node maps (src/Vellum.Node/Api/*Routes.cs), with the action ACL-WIRE.md §5
/// says it needs. <see cref="AuthorizationMatrixTests"/> checks this list against the node's own
/// endpoints, so a route added without a matrix entry fails the build's tests.
/// </summary>
internal static class ApiRoutes
{
    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        .. ServiceRoutes(),
        .. TransactionRoutes(),
        .. UserRoutes(),
        .. RoleRoutes(),
        .. MemberRoutes(),
        .. GovernanceRoutes(),
        .. TreeRoutes(),
    ];

    /// <summary>A well-formed proposal id that names no proposal.</summary>
    internal const string UnknownProposalId = "00000000000000000000000000000000000000000000000000000000000000bb";

    /// <summary>A well-formed node id that names no member: a permitted retirement of it reaches the handler and is answered 404.</summary>
    internal const string UnknownNodeId = "00000000000000000000000000000000000000000000000000000000000000aa";

    public static ApiRoute Named(string name) => All.Single(route => route.Name == name);

    private static IEnumerable<ApiRoute> ServiceRoutes()
    {
        yield return Get("/ledgerIdentity/{ledgerId}", null, node => $"/ledgerIdentity/{node.Node.Node.LedgerName}");
        yield return Get("/node/ready", null, _ => "/node/ready");
        yield return Get("/node/state", null, _ => "/node/state");
        yield return Get("/node/commit", null, _ => "/node/commit");

        // Anyone may ask to join; a request without a certificate request reaches the handler and is refused as malformed.
        yield return new("POST", "/node/join", null, HttpStatusCode.BadRequest, _ => IssuerNode.Request(HttpMethod.Post, "/node/join", "{}"));
        yield return Get("/app/governance/constitution", LedgerActions.GovernanceConstitutionRead, _ => TestNode.App("/app/governance/constitution"));
        yield return Get("/app/governance/members", LedgerActions.GovernanceMembersRead, _ => TestNode.App("/app/governance/members"));
        yield return Get("/app/enclaveQuotes", LedgerActions.EnclavesRead, _ => TestNode.App("/app/enclaveQuotes"));
    }

    private static IEnumerable<ApiRoute> TransactionRoutes()
    {
        yield return new("POST", "/app/transactions", LedgerActions.Append, HttpStatusCode.OK, _ => IssuerNode.Request(HttpMethod.Post, TestNode.App("/app/transactions"), "{\"contents\":\"matrix\"}"));
        yield return new("POST", "/app/transactions/batch", LedgerActions.Append, HttpStatusCode.OK, _ => IssuerNode.Request(HttpMethod.Post, TestNode.App("/app/transactions/batch"), "{\"entries\":[{\"contents\":\"matrix\"}]}"));
        yield return Get("/app/transactions", LedgerActions.HistoricalQuery, _ => TestNode.App("/app/transactions"));
        yield return Get("/app/transactions/current", LedgerActions.Read, _ => TestNode.App("/app/transactions/current"));
        yield return Get("/app/transactions/{transactionId}", LedgerActions.HistoricalQuery, node => TestNode.App($"/app/transactions/{node.EntryId}"));
        yield return Get("/app/transactions/{transactionId}/status", LedgerActions.TransactionsStatusRead, node => TestNode.App($"/app/transactions/{node.EntryId}/status"));
        yield return Get("/app/transactions/{transactionId}/receipt", LedgerActions.ReceiptsRead, node => TestNode.App($"/app/transactions/{node.EntryId}/receipt"));
        yield return Get("/app/collections", LedgerActions.CollectionsRead, _ => TestNode.App("/app/collections"));

        // Ledger chunks are for auditors, who read the whole history: a permitted download of a chunk the ledger does not have is answered 404.
        yield return Get("/app/ledger/chunks", LedgerActions.HistoricalQuery, _ => TestNode.App("/app/ledger/chunks"));
        yield return new("GET", "/app/ledger/chunks/{chunkName}", LedgerActions.HistoricalQuery, HttpStatusCode.NotFound, _ => IssuerNode.Request(HttpMethod.Get, TestNode.App("/app/ledger/chunks/ledger_999999-999999.chunk")));
    }

    private static IEnumerable<ApiRoute> UserRoutes()
    {
        yield return Get("/app/users", LedgerActions.UsersReadAll, _ => TestNode.App("/app/users"));
        yield return Get("/app/ledgerUsers", LedgerActions.UsersReadAll, _ => TestNode.App("/app/ledgerUsers"));
        foreach (var (collection, body) in new[] { ("users", "{\"assignedRole\":\"Reader\"}"), ("ledgerUsers", "{\"assignedRoles\":[\"Reader\"]}") })
        {
            var template = $"/app/{collection}/{{userId}}";
            yield return Get(template, LedgerActions.UsersRead, node => TestNode.App($"/app/{collection}/{node.ExistingUserId}"));
            yield return new("PATCH", template, LedgerActions.UsersWrite, HttpStatusCode.OK, node => IssuerNode.Request(HttpMethod.Patch, TestNode.App($"/app/{collection}/{MatrixNode.ScratchUserId}"), body, "application/merge-patch+json"));
            yield return new(
                "DELETE",
                template,
                LedgerActions.UsersDelete,
                HttpStatusCode.NoContent,
                _ => IssuerNode.Request(HttpMethod.Delete, TestNode.App($"/app/{collection}/{MatrixNode.ScratchUserId}")),
                node => node.SetRolesAsync(MatrixNode.ScratchUserId, RoleNames.Reader));
        }
    }

    private static IEnumerable<ApiRoute> RoleRoutes()
    {
        const string Body = $"[{{\"roleName\":\"{MatrixNode.ScratchRole}\",\"roleActions\":[\"{LedgerActions.Read}\"]}}]";
        yield return Get("/app/roles", LedgerActions.RoleDefinitionsRead, _ => TestNode.App($"/app/roles?roleName={MatrixNode.CustomRole}"));
        yield return new("PUT", "/app/roles", LedgerActions.RoleDefinitionsWrite, HttpStatusCode.OK, _ => IssuerNode.Request(HttpMethod.Put, TestNode.App("/app/roles"), Body));
        yield return new(
            "PATCH",
            "/app/roles",
            LedgerActions.RoleDefinitionsWrite,
            HttpStatusCode.OK,
            _ => IssuerNode.Request(HttpMethod.Patch, TestNode.App("/app/roles"), Body, "application/merge-patch+json"),
            node => node.DefineRoleAsync(MatrixNode.ScratchRole, LedgerActions.Read));
        yield return new(
            "DELETE",
            "/app/roles",
            LedgerActions.RoleDefinitionsDelete,
            HttpStatusCode.NoContent,
            _ => IssuerNode.Request(HttpMethod.Delete, TestNode.App($"/app/roles?roleName={MatrixNode.ScratchRole}")),
            node => node.DefineRoleAsync(MatrixNode.ScratchRole, LedgerActions.Read));
    }

    private static IEnumerable<ApiRoute> MemberRoutes()
    {
        yield return Get("/node/members", null, _ => "/node/members");
        yield return new(
            "DELETE",
            "/node/members/{nodeId}",
            null,
            HttpStatusCode.NotFound,
            _ => IssuerNode.Request(HttpMethod.Delete, $"/node/members/{UnknownNodeId}"),
            Role: RoleNames.Administrator);
    }

    // Governance answers members by their certificates, not users by their roles: to the user
    // matrix every /gov route is open, and a request judged before its caller gets the same
    // answer from everyone (docs/governance.md covers members' own checks).
    private static IEnumerable<ApiRoute> GovernanceRoutes()
    {
        yield return Get("/gov/members", null, _ => "/gov/members");
        yield return Get("/gov/proposals", null, _ => "/gov/proposals");
        yield return new("GET", "/gov/proposals/{proposalId}", null, HttpStatusCode.NotFound, _ => IssuerNode.Request(HttpMethod.Get, $"/gov/proposals/{UnknownProposalId}"));
        yield return new("POST", "/gov/proposals", null, HttpStatusCode.BadRequest, _ => IssuerNode.Request(HttpMethod.Post, "/gov/proposals", "{}"));
        yield return new("POST", "/gov/proposals/{proposalId}/ballots", null, HttpStatusCode.BadRequest, _ => IssuerNode.Request(HttpMethod.Post, $"/gov/proposals/{UnknownProposalId}/ballots", "{}"));
        yield return new("POST", "/gov/proposals/{proposalId}/withdraw", null, HttpStatusCode.NotFound, _ => IssuerNode.Request(HttpMethod.Post, $"/gov/proposals/{UnknownProposalId}/withdraw", "{}"));

        // The matrix ledger's only member holds no encryption key: no recovery shares are dealt, the same answer for everyone.
        yield return new("GET", "/gov/recovery", null, HttpStatusCode.NotFound, _ => IssuerNode.Request(HttpMethod.Get, "/gov/recovery"));
        yield return new("GET", "/gov/recovery/share", null, HttpStatusCode.NotFound, _ => IssuerNode.Request(HttpMethod.Get, "/gov/recovery/share"));

        // Only a recovering node takes shares; a running one refuses them all alike.
        yield return new("POST", "/gov/recovery/share", null, HttpStatusCode.Conflict, _ => IssuerNode.Request(HttpMethod.Post, "/gov/recovery/share", "{}"));
    }

    // A signed tree head is the signed part of a receipt: whoever may read receipts may read heads and proofs.
    private static IEnumerable<ApiRoute> TreeRoutes()
    {
        yield return Get("/app/tree/head", LedgerActions.ReceiptsRead, _ => TestNode.App("/app/tree/head"));
        yield return Get("/app/tree/consistency", LedgerActions.ReceiptsRead, node => TestNode.App($"/app/tree/consistency?from={node.SignedTreeSize}&to={node.SignedTreeSize}"));
    }

    private static ApiRoute Get(string template, string? action, Func<MatrixNode, string> path)
        => new("GET", template, action, HttpStatusCode.OK, node => IssuerNode.Request(HttpMethod.Get, path(node)));
}
