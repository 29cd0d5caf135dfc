using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vellum.Consensus;

namespace Vellum.Node.Replication;

/// <summary>
/// Decides, for one TLS handshake, whether the other side is a node of this service: its
/// certificate must chain directly to the pinned service certificate, which alone is trusted,
/// and carry the key usage for its role; on an outbound connection it must also be the node we
/// meant to reach. Remembers the peer's id or the reason for refusing it.
/// </summary>
internal sealed class PeerCertificateCheck
{
    private readonly X509Certificate2 _service;
    private readonly TimeProvider _time;
    private readonly Oid _purpose;
    private readonly NodeId? _expected;

    /// <param name="service">The only trust anchor.</param>
    /// <param name="time">The clock certificate validity is judged by.</param>
    /// <param name="purpose">The extended key usage the peer's role needs: serverAuth when we call it, clientAuth when it calls us.</param>
    /// <param name="expected">The node we meant to reach, on an outbound connection.</param>
    public PeerCertificateCheck(X509Certificate2 service, TimeProvider time, Oid purpose, NodeId? expected)
    {
        _service = service;
        _time = time;
        _purpose = purpose;
        _expected = expected;
    }

    /// <summary>The peer's node id, once its certificate has been accepted.</summary>
    public NodeId? Peer { get; private set; }

    /// <summary>Why the peer's certificate was refused, if it was.</summary>
    public string? Refusal { get; private set; }

    /// <summary>
    /// The TLS validation callback. The platform's own verdict is ignored: it judges the chain
    /// against the system's roots and the name against the host, neither of which applies here.
    /// </summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        Refusal = Check(certificate);
        return Refusal is null;
    }

    private string? Check(X509Certificate? certificate)
    {
        if (certificate is null)
        {
            return "it presented no certificate";
        }

        var leaf = certificate as X509Certificate2;
        using var loaded = leaf is null ? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()) : null;
        leaf ??= loaded!;
        if (ChainProblem(leaf) is { } problem)
        {
            return $"its certificate \"{leaf.Subject}\" {problem}";
        }

        NodeId id;
        try
        {
            id = NodeIds.FromCertificate(leaf);
        }
        catch (FormatException e)
        {
            return $"its certificate cannot be read: {e.Message}";
        }

        if (_expected is { } expected && id != expected)
        {
            return $"its certificate belongs to node {id}, not to node {expected}";
        }

        Peer = id;
        return null;
    }

    private string? ChainProblem(X509Certificate2 leaf)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(_service);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        chain.ChainPolicy.VerificationTimeIgnored = false;
        chain.ChainPolicy.ApplicationPolicy.Add(_purpose);
        try
        {
            if (!chain.Build(leaf))
            {
                var statuses = string.Join("; ", chain.ChainStatus.Select(status => status.StatusInformation.Trim()));
                return $"is not valid under the service certificate: {statuses}";
            }

            // Node certificates are issued by the service identity itself, never by an intermediate.
            return chain.ChainElements.Count == 2 && chain.ChainElements[1].Certificate.RawData.AsSpan().SequenceEqual(_service.RawData)
                ? null
                : "is not issued directly by the service certificate";
        }
        finally
        {
            foreach (var element in chain.ChainElements)
            {
                element.Certificate.Dispose();
            }
        }
    }
}
