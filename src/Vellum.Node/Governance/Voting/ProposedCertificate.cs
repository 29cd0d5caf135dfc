using System.Security.Cryptography;

namespace Vellum.Node.Governance.Voting;

/// <summary>
/// Checks a certificate a proposal carries, when it is proposed: its PEM must hold one
/// <c>CERTIFICATE</c> block and no other block, so that a private key or a second certificate
/// pasted with it never reaches the public ledger. Records already in a ledger are not re-judged.
/// </summary>
internal static class ProposedCertificate
{
    /// <exception cref="GovernanceException">The PEM holds no certificate first, or another block after it.</exception>
    public static void RequireAlone(string what, string field, string pem)
    {
        // Counted by their opening lines, not only the blocks PemEncoding accepts: a legacy
        // encrypted key (with Proc-Type headers) is not RFC 7468 PEM, but is still a key.
        var text = pem.AsSpan();
        if (text.Count("-----BEGIN ") != 1 || !PemEncoding.TryFind(text, out var fields) || text[fields.Label] is not "CERTIFICATE")
        {
            throw GovernanceException.Invalid($"The \"{field}\" of {what} must be one PEM CERTIFICATE block and no other (no private key, no second certificate).");
        }
    }
}
