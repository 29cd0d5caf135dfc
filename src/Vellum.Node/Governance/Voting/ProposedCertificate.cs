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
        var text = pem.AsSpan();
        if (!PemEncoding.TryFind(text, out var fields) || text[fields.Label] is not "CERTIFICATE" || PemEncoding.TryFind(text[fields.Location.End..], out _))
        {
            throw GovernanceException.Invalid($"The \"{field}\" of {what} must be one PEM CERTIFICATE block and no other (no private key, no second certificate).");
        }
    }
}
