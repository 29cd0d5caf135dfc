using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Vellum.Node.Access;
using Vellum.Node.Api;
using Vellum.Node.Authentication;
using Vellum.Node.Replication;
using NodeId = Vellum.Consensus.NodeId;

namespace Vellum.Node.Cluster;

/// <summary>
/// <c>GET /node/members</c>: the membership as this node knows it, for anyone, like the node's
/// other status routes. <c>DELETE /node/members/{nodeId}</c>: retires a node, for Administrators
/// only; the primary answers once the removal is committed, a backup redirects to the primary.
/// </summary>
internal static class MemberRoutes
{
    /// <summary>The length of a node id: the SHA-256 of the node's public key, in hex.</summary>
    private const int NodeIdLengthChars = 64;

    public static void Map(IEndpointRouteBuilder routes, NodeContext node)
    {
        routes.MapGet("/node/members", context => ListAsync(context, node)).AllowsAnonymous();
        routes.MapDelete("/node/members/{nodeId}", context => RetireAsync(context, node)).RequiresRole(RoleNames.Administrator);
    }

    /// <summary>The node id in the path, in lowercase; 400 <c>InvalidNodeId</c> unless it is 64 hex digits.</summary>
    public static NodeId PathNodeId(HttpContext context)
    {
        var text = context.GetRouteValue("nodeId") as string ?? string.Empty;
        if (text.Length != NodeIdLengthChars || !text.All(char.IsAsciiHexDigit))
        {
            throw ApiException.BadRequest(ErrorCodes.InvalidNodeId, $"A node id is {NodeIdLengthChars} hex digits (the SHA-256 of the node's public key, as GET /node/members lists it), not \"{text}\".");
        }

        return new NodeId(text.ToLowerInvariant());
    }

    private static Task ListAsync(HttpContext context, NodeContext node)
    {
        var admission = node.Admission ?? throw new NodeUnavailableException("The node is still starting.");
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, (admission.Current, node.Replica.LeaderId), static (writer, state) =>
        {
            var (membership, primary) = state;
            writer.WriteStartObject();
            writer.WriteStartArray("members");
            foreach (var voter in membership.Voters)
            {
                WriteMember(writer, voter, "voter", voter.Id == primary);
            }

            foreach (var learner in membership.Learners)
            {
                WriteMember(writer, learner, "learner", primary: false);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static void WriteMember(Utf8JsonWriter writer, ClusterMember member, string role, bool primary)
    {
        writer.WriteStartObject();
        writer.WriteString("nodeId", member.Id.Value);
        writer.WriteString("role", role);
        writer.WriteBoolean("primary", primary);
        writer.WriteString("apiAddress", member.ApiAddress);
        writer.WriteString("peerAddress", member.PeerAddress);
        writer.WriteEndObject();
    }

    private static async Task RetireAsync(HttpContext context, NodeContext node)
    {
        var nodeId = PathNodeId(context);
        var admission = node.Admission ?? throw new NodeUnavailableException("The node is still starting.");
        if (!node.Replica.IsLeader)
        {
            throw new NotPrimaryException(node.Replica.LeaderApiAddress);
        }

        var result = await admission.RetireAsync(nodeId, context.RequestAborted);
        switch (result.Outcome)
        {
            case RetireOutcome.NotAMember:
                throw ApiException.NotFound(ErrorCodes.NodeNotFound, $"No member of the cluster has node id {nodeId}.");
            case RetireOutcome.LastVoter:
                throw new ApiException(StatusCodes.Status409Conflict, ErrorCodes.LastVoter, $"Node {nodeId} is the only voter, and the cluster cannot do without one; join another node and let it become a voter first.");
        }

        context.Response.Headers[TransactionIdHeader.Name] = result.Change!.Value.ToString();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.ContentLength = 0;
    }
}
