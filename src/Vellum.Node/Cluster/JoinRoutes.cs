using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Vellum.Core.Identity;
using Vellum.Node.Api;
using Vellum.Node.Authentication;
using Vellum.Node.Replication;

namespace Vellum.Node.Cluster;

/// <summary>
/// <c>POST /node/join</c>: a new node presents a certificate request and its attestation; the
/// primary checks both, certifies the key, records the node as a learner and, once that is
/// committed, answers with the service's key material (over TLS to the pinned service identity).
/// </summary>
internal static class JoinRoutes
{
    private static readonly TimeSpan NodeValidity = TimeSpan.FromDays(365);

    public static void Map(IEndpointRouteBuilder routes, NodeContext node) =>
        routes.MapPost("/node/join", context => JoinAsync(context, node)).AllowsAnonymous();

    private static async Task JoinAsync(HttpContext context, NodeContext node)
    {
        var admission = node.Admission ?? throw new NodeUnavailableException("The node is still starting.");
        if (node.Options.Joins == JoinPolicy.Closed)
        {
            throw new ApiException(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "This node does not admit joining nodes.");
        }

        RequestReading.RequireContentType(context, "application/json");
        var request = JoinRequest.Parse(await RequestReading.ReadBodyAsync(context, node.Options.MaxRequestBodyBytes));
        if (!node.Replica.IsLeader)
        {
            throw new NotPrimaryException(node.Replica.LeaderApiAddress);
        }

        using var publicKey = request.CertificateRequest.PublicKey.GetECDsaPublicKey()
            ?? throw ApiException.BadRequest(ErrorCodes.InvalidRequestBody, "The certificate request's key is not an elliptic-curve key.");
        var nodeId = Convert.ToHexStringLower(SHA256.HashData(request.CertificateRequest.PublicKey.ExportSubjectPublicKeyInfo()));
        if (!node.Attestation.Verify(request.Attestation, nodeId))
        {
            throw new ApiException(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, $"The attestation does not vouch for node {nodeId} on the {node.Attestation.Name} platform.");
        }

        if (node.Options.Joins == JoinPolicy.Consortium && !node.Governance.Read(consortium => consortium?.TrustedNodes.Contains(nodeId) ?? false))
        {
            // Nothing is recorded: the node asks again until a member's proposal trusts its id.
            await JsonResponses.WriteAsync(context, StatusCodes.Status202Accepted, nodeId, static (writer, nodeId) =>
            {
                writer.WriteStartObject();
                writer.WriteString("state", "Pending");
                writer.WriteString("nodeId", nodeId);
                writer.WriteEndObject();
            });
            return;
        }

        var certificatePem = Certify(node, publicKey, request);
        await admission.AdmitAsync(new ClusterMember(new Consensus.NodeId(nodeId), request.PeerAddress, request.ApiAddress, certificatePem), context.RequestAborted);
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, (node, certificatePem, nodeId), static (writer, state) =>
        {
            var material = state.node.Material;
            writer.WriteStartObject();
            writer.WriteString("nodeId", state.nodeId);
            writer.WriteString("ledgerId", material.Settings.Name);
            writer.WriteString("ledgerType", material.Settings.LedgerType == LedgerType.Public ? "public" : "private");
            writer.WriteString("initialAdministrator", material.Settings.InitialAdministrator);
            writer.WriteString("nodeCertificate", state.certificatePem);
            writer.WriteString("serviceCertificate", material.Service.CertificatePem);
            writer.WriteString("serviceKey", material.Service.ExportPrivateKeyPem());
            writer.WriteBase64String("serviceSecret", material.ServiceSecret.Span);
            if (material.LedgerSecrets.Count > 0)
            {
                // A private ledger's secrets travel like the service secret: only to a node the
                // primary has attested and admitted, over TLS to the pinned service identity.
                writer.WritePropertyName("ledgerSecrets");
                Setup.LedgerSecretFile.Write(writer, material.LedgerSecrets);
            }

            writer.WriteEndObject();
        });
    }

    private static string Certify(NodeContext node, ECDsa publicKey, JoinRequest request)
    {
        var host = PeerAddress.Parse(request.ApiAddress).Host;
        var now = node.Options.TimeProvider.GetUtcNow();
        var service = node.Material.Service.Certificate;
        var notAfter = Min(now + NodeValidity, new DateTimeOffset(service.NotAfter.ToUniversalTime()));
        try
        {
            using var certificate = node.Material.Service.IssueNodeCertificate(publicKey, new NodeCertificateOptions
            {
                Name = node.Material.Settings.Name,
                DnsNames = System.Net.IPAddress.TryParse(host, out _) ? ["localhost"] : ["localhost", host],
                IpAddresses = System.Net.IPAddress.TryParse(host, out var address) ? [System.Net.IPAddress.Loopback, address] : [System.Net.IPAddress.Loopback],
                NotBefore = now - TimeSpan.FromMinutes(5),
                Validity = notAfter - (now - TimeSpan.FromMinutes(5)),
            });
            return Pem.WriteCertificate(certificate);
        }
        catch (ArgumentException exception)
        {
            throw ApiException.BadRequest(ErrorCodes.InvalidRequestBody, $"The node's key cannot be certified: {exception.Message}");
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
