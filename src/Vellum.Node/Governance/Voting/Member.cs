namespace Vellum.Node.Governance.Voting;

/// <summary>A member of the consortium that governs the ledger.</summary>
/// <param name="Id">SHA-256 of the member's certificate (DER), lower-case hex: the same rule as a certificate user's id.</param>
/// <param name="CertificatePem">The certificate the member authenticates with.</param>
/// <param name="EncryptionKeyPem">The public key recovery shares are encrypted to, or null for a member who holds no share.</param>
internal sealed record Member(string Id, string CertificatePem, string? EncryptionKeyPem);
