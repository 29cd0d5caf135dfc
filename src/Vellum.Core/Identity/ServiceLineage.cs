using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vellum.Core.Recovery;

namespace Vellum.Core.Identity;

/// <summary>
/// Which service identity a ledger's signatures must chain to, seqno by seqno: the trusted,
/// current service certificate, and before each recovery (<see cref="ServiceChange"/>) the lost
/// service, linked to the current one by the endorsements of every recovery since. A node
/// certificate that signed at seqno <c>s</c> must chain through exactly the endorsements a
/// receipt for <c>s</c> would carry, so a node of a lost service cannot sign after its service was
/// replaced, nor a node of the new one before.
/// </summary>
public sealed class ServiceLineage
{
    private readonly string _serviceCertificatePem;
    private readonly List<ServiceChange> _changes;
    private readonly Dictionary<(string Certificate, int Endorsements), string?> _checked = [];

    /// <summary>Creates the lineage of the ledger whose changes of identity are <paramref name="changes"/>.</summary>
    /// <param name="serviceCertificatePem">The trusted service certificate, PEM, obtained out of band.</param>
    /// <param name="changes">Every change of service identity in the ledger, in ledger order.</param>
    public ServiceLineage(string serviceCertificatePem, IEnumerable<ServiceChange> changes)
    {
        ArgumentNullException.ThrowIfNull(serviceCertificatePem);
        ArgumentNullException.ThrowIfNull(changes);
        _serviceCertificatePem = serviceCertificatePem;
        _changes = [.. changes];
    }

    /// <summary>
    /// Every service identity the ledger names, oldest first, with the seqnos each one's nodes
    /// signed; the last is the trusted one.
    /// </summary>
    public IReadOnlyList<ServiceEra> Eras
    {
        get
        {
            var eras = new List<ServiceEra>();
            var first = 1L;
            foreach (var change in _changes)
            {
                eras.Add(new ServiceEra(IdentityId(change.PreviousServiceCertificate), change.PreviousServiceCertificate, first, change.RecoveredAfterSeqno));
                first = change.RecoveredAfterSeqno + 1;
            }

            eras.Add(new ServiceEra(IdentityId(_serviceCertificatePem), _serviceCertificatePem, first, long.MaxValue));
            return eras;
        }
    }

    /// <summary>
    /// Checks that the changes form one line ending at the trusted service: each recovers after a
    /// later seqno than the one before, names as previous the service the one before installed,
    /// and the last installs the trusted service.
    /// </summary>
    /// <returns>Null when they do; otherwise the first change that does not, and why.</returns>
    public (ServiceChange Change, string Reason)? CheckChanges()
    {
        for (var i = 0; i < _changes.Count; i++)
        {
            var change = _changes[i];
            if (i > 0 && change.RecoveredAfterSeqno <= _changes[i - 1].RecoveredAfterSeqno)
            {
                return (change, $"it recovers after seqno {change.RecoveredAfterSeqno}, not after the previous recovery's {_changes[i - 1].RecoveredAfterSeqno}");
            }

            if (i > 0 && IdentityId(change.PreviousServiceCertificate) != IdentityId(_changes[i - 1].ServiceCertificate))
            {
                return (change, "its previous service is not the service the recovery before it installed");
            }

            var installed = IdentityId(change.ServiceCertificate);
            if (i == _changes.Count - 1 && installed != IdentityId(_serviceCertificatePem))
            {
                return (change, $"it installs service {installed}, not the trusted service {IdentityId(_serviceCertificatePem)}");
            }
        }

        return null;
    }

    /// <summary>
    /// Checks that <paramref name="nodeCertificateDer"/>, which signed the signature transaction at
    /// <paramref name="signatureSeqno"/>, chains to the trusted service through the endorsements
    /// of every recovery after that seqno.
    /// </summary>
    /// <returns>Null when it does; otherwise why not.</returns>
    public string? CheckSigner(byte[] nodeCertificateDer, long signatureSeqno)
    {
        ArgumentNullException.ThrowIfNull(nodeCertificateDer);
        var endorsements = ServiceChange.EndorsementsFor(_changes, signatureSeqno);
        var key = (Convert.ToBase64String(SHA256.HashData(nodeCertificateDer)), endorsements.Count);
        if (!_checked.TryGetValue(key, out var reason))
        {
            reason = EndorsementChain.Holds(nodeCertificateDer, endorsements, _serviceCertificatePem, out _, out var problem)
                ? null
                : $"its node certificate does not chain to the trusted service certificate through {endorsements.Count} endorsement(s): {problem}";
            _checked[key] = reason;
        }

        return reason;
    }

    /// <summary>The SHA-256 of a certificate's DER, lowercase hex; the text's own hash when it is not a certificate.</summary>
    public static string IdentityId(string certificatePem)
    {
        ArgumentNullException.ThrowIfNull(certificatePem);
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            return Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        }
        catch (CryptographicException)
        {
            // A record holding no certificate fails the endorsement checks; its id only has to differ from every real one's.
            return "not-a-certificate:" + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(certificatePem)));
        }
    }
}
