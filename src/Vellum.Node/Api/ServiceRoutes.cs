using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Vellum.Node.Access;
using Vellum.Node.Authentication;

namespace Vellum.Node.Api;

/// <summary>The identity endpoint, the node's own status routes, and the governance and attestation reads.</summary>
internal static class ServiceRoutes
{
    /// <summary>
    /// The constitution of a single-operator Vellum service. Consortium governance (members,
    /// proposals and ballots) is not part of this version; the text says what rules apply instead.
    /// </summary>
    public const string Constitution = """
        // Vellum constitution (single operator).
        // There is no consortium yet: the service has no members, and no proposal can be made.
        // Users and roles are managed by users holding the Administrator role through /app/users,
        // /app/ledgerUsers and /app/roles; every change is a ledger transaction.
        // The last Administrator cannot be removed.
        """;

    public static void Map(IEndpointRouteBuilder routes, NodeContext node)
    {
        routes.MapGet("/ledgerIdentity/{ledgerId}", context => IdentityAsync(context, node)).AllowsAnonymous();
        routes.MapGet("/node/ready", context => ReadyAsync(context, node)).AllowsAnonymous();
        routes.MapGet("/node/state", context => StateAsync(context, node)).AllowsAnonymous();
        routes.MapGet("/node/commit", context => CommitAsync(context, node)).AllowsAnonymous();
        routes.MapGet("/app/governance/constitution", ConstitutionAsync).RequiresAction(LedgerActions.GovernanceConstitutionRead);
        routes.MapGet("/app/governance/members", context => MembersAsync(context, node)).RequiresAction(LedgerActions.GovernanceMembersRead);
        routes.MapGet("/app/enclaveQuotes", context => QuotesAsync(context, node)).RequiresAction(LedgerActions.EnclavesRead);
    }

    // The node serves one ledger, so every ledger id gets its identity; the body names the ledger,
    // so a client that derived a different id from the host name learns the real one.
    private static Task IdentityAsync(HttpContext context, NodeContext node)
        => JsonResponses.WriteAsync(context, StatusCodes.Status200OK, node, static (writer, node) =>
        {
            writer.WriteStartObject();
            writer.WriteString("ledgerId", node.Material.Settings.Name);
            writer.WriteString("ledgerTlsCertificate", node.Material.Service.CertificatePem);
            writer.WriteEndObject();
        });

    private static Task ReadyAsync(HttpContext context, NodeContext node)
    {
        if (node.Replica.IsRetired)
        {
            // A retired node serves only what it held when it left: it must not be sent traffic.
            return JsonResponses.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.NodeRetired, "The node has been retired from the cluster.");
        }

        return node.Ready && node.Sequencer.Fault is null
            ? JsonResponses.WriteAsync(context, StatusCodes.Status200OK, static writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("status", "ready");
                writer.WriteEndObject();
            })
            : JsonResponses.WriteErrorAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorCodes.ServiceUnavailable, "The node is not serving.");
    }

    private static Task StateAsync(HttpContext context, NodeContext node)
        => JsonResponses.WriteAsync(context, StatusCodes.Status200OK, (node, committed: ReadPoint.Take(context, node.Commits)), static (writer, state) =>
        {
            var node = state.node;
            writer.WriteStartObject();
            writer.WriteString("nodeId", node.Material.Node.NodeId);
            writer.WriteString("state", node.Sequencer.Fault is not null ? "Faulted" : node.Replica.IsRetired ? "Retired" : node.Ready ? "PartOfNetwork" : "Starting");
            writer.WriteString("ledgerId", node.Material.Settings.Name);
            writer.WriteString("ledgerType", node.Material.Settings.LedgerType == LedgerType.Public ? "public" : "private");
            writer.WriteString("platform", node.Attestation.Name);
            writer.WriteBoolean("hardwareProtected", node.Attestation.IsHardwareProtected);
            var replica = node.Replica.Status;
            writer.WriteNumber("view", replica.Term);
            writer.WriteBoolean("primary", replica.IsLeader);
            if (replica.LeaderId is { } leader)
            {
                writer.WriteString("primaryId", leader.Value);
            }

            writer.WriteString("role", replica.Role);
            writer.WriteNumber("lastSeqno", node.Ledger.LastSeqno);
            writer.WriteNumber("durableSeqno", node.Ledger.DurableSeqno);
            writer.WriteString("lastCommittedTransactionId", state.committed.ToString());
            writer.WriteString("serviceStatus", Recovery.RecoveredService.IsOpen(node) ? "Open" : "Recovering");
            if (node.ScheduledBackup is { } backup)
            {
                WriteBackup(writer, backup.LastOutcome);
            }

            writer.WriteEndObject();
        });

    // The latest scheduled backup: Pending until the first run ends, then how the latest one did.
    private static void WriteBackup(System.Text.Json.Utf8JsonWriter writer, Backup.BackupOutcome? outcome)
    {
        writer.WriteStartObject("backup");
        writer.WriteString("status", outcome is null ? "Pending" : outcome.Succeeded ? "Succeeded" : "Failed");
        if (outcome is not null)
        {
            writer.WriteString("finishedAt", outcome.FinishedAt);
            if (outcome.LastSeqno is { } lastSeqno)
            {
                writer.WriteNumber("lastSeqno", lastSeqno);
            }

            if (outcome.Error is { } error)
            {
                writer.WriteString("error", error);
            }
        }

        writer.WriteEndObject();
    }

    private static Task CommitAsync(HttpContext context, NodeContext node)
        => JsonResponses.WriteAsync(context, StatusCodes.Status200OK, ReadPoint.Take(context, node.Commits), static (writer, committed) =>
        {
            writer.WriteStartObject();
            writer.WriteString("transactionId", committed.ToString());
            writer.WriteEndObject();
        });

    private static Task ConstitutionAsync(HttpContext context)
        => JsonResponses.WriteAsync(context, StatusCodes.Status200OK, static writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("digest", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Constitution))));
            writer.WriteString("script", Constitution);
            writer.WriteEndObject();
        });

    // ACL's view of the consortium: each member's certificate and id.
    private static Task MembersAsync(HttpContext context, NodeContext node)
    {
        var members = node.Governance.Read(consortium => consortium?.Members.OrderBy(member => member.Id, StringComparer.Ordinal).ToList() ?? []);
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, members, static (writer, members) =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("members");
            foreach (var member in members)
            {
                writer.WriteStartObject();
                writer.WriteString("certificate", member.CertificatePem);
                writer.WriteString("id", member.Id);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static Task QuotesAsync(HttpContext context, NodeContext node)
        => JsonResponses.WriteAsync(context, StatusCodes.Status200OK, node, static (writer, node) =>
        {
            var nodeId = node.Material.Node.NodeId;
            writer.WriteStartObject();
            writer.WriteString("currentNodeId", nodeId);
            writer.WriteStartObject("enclaveQuotes");
            writer.WriteStartObject(nodeId);
            writer.WriteString("nodeId", nodeId);
            writer.WriteString("quoteVersion", node.Attestation.QuoteVersion);
            writer.WriteString("raw", Convert.ToHexStringLower(node.Attestation.Quote(nodeId)));
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
}
