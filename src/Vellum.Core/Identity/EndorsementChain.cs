using System.Diagnostics.CodeAnalysis;
using Vellum.Core.Receipts;

namespace Vellum.Core.Identity;

/// <summary>
/// Checks the chain node certificate → service endorsements → service certificate, each link an
/// ordinary X.509 signature by the next certificate's key, with validity dates ignored as ACL's
/// verifier does. Receipt verification and the offline audit both decide with this one rule.
/// </summary>
public static class EndorsementChain
{
    /// <summary>
    /// Checks that <paramref name="nodeCertificateDer"/> is signed by the key of the first
    /// endorsement, each endorsement by the next one's key, and the last (or the node certificate,
    /// when there is none) by <paramref name="serviceCertificatePem"/>'s key.
    /// </summary>
    /// <param name="nodeCertificateDer">The node certificate, DER.</param>
    /// <param name="endorsements">The service endorsements, oldest recovery first, PEM.</param>
    /// <param name="serviceCertificatePem">The trusted service certificate, PEM.</param>
    /// <param name="failedCheck">Which check failed, when one did.</param>
    /// <param name="reason">Why the chain does not hold, when it does not.</param>
    /// <returns>True when every link holds.</returns>
    public static bool Holds(
        byte[] nodeCertificateDer,
        IReadOnlyList<string> endorsements,
        string serviceCertificatePem,
        out ReceiptCheck failedCheck,
        [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(nodeCertificateDer);
        ArgumentNullException.ThrowIfNull(endorsements);
        ArgumentNullException.ThrowIfNull(serviceCertificatePem);
        failedCheck = ReceiptCheck.NodeCertificate;
        if (!CertificateFields.TryParseDer(nodeCertificateDer, out var node, out reason))
        {
            reason = $"the node certificate cannot be read: {reason}";
            return false;
        }

        return Holds(node, endorsements, serviceCertificatePem, out failedCheck, out reason);
    }

    /// <summary>As <see cref="Holds(byte[], IReadOnlyList{string}, string, out ReceiptCheck, out string?)"/>, for a parsed node certificate.</summary>
    internal static bool Holds(
        CertificateFields nodeCertificate,
        IReadOnlyList<string> endorsements,
        string serviceCertificatePem,
        out ReceiptCheck failedCheck,
        [NotNullWhen(false)] out string? reason)
    {
        var current = nodeCertificate;
        var currentName = "the node certificate";
        for (var i = 0; i <= endorsements.Count; i++)
        {
            var isService = i == endorsements.Count;
            var endorserName = isService ? "the service certificate" : $"service endorsement {i}";
            failedCheck = isService ? ReceiptCheck.ServiceCertificate : ReceiptCheck.Endorsements;
            var pem = isService ? serviceCertificatePem : endorsements[i];
            if (!CertificateFields.TryParsePem(pem, out var endorser, out var error))
            {
                reason = $"{endorserName} cannot be read: {error}";
                return false;
            }

            using var endorserKey = endorser.CreateEcdsaPublicKey(out error);
            if (endorserKey is null)
            {
                reason = $"{endorserName} is unusable: {error}";
                return false;
            }

            if (!current.IsSignedBy(endorserKey, out error))
            {
                failedCheck = ReceiptCheck.Endorsements;
                reason = $"{currentName} is not signed by {endorserName}: {error}";
                return false;
            }

            current = endorser;
            currentName = endorserName;
        }

        failedCheck = ReceiptCheck.None;
        reason = null;
        return true;
    }
}
