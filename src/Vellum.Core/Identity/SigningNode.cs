namespace Vellum.Core.Identity;

/// <summary>
/// The node that made a signature, as receipts and signed tree heads name it: its certificate in
/// PEM and its node id (the hex SHA-256 of its public key).
/// </summary>
/// <param name="CertificatePem">The node certificate, one <c>CERTIFICATE</c> block.</param>
/// <param name="NodeId">The node id, lowercase hex.</param>
public sealed record SigningNode(string CertificatePem, string NodeId)
{
    // A ledger's signatures come from one node for long runs, so the last description is kept:
    // every receipt served would otherwise encode the same certificate again.
    private static Cached? _last;

    /// <summary>Describes the node certificate <paramref name="certificateDer"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a certificate.</exception>
    public static SigningNode Of(byte[] certificateDer)
    {
        ArgumentNullException.ThrowIfNull(certificateDer);
        var last = Volatile.Read(ref _last);
        if (last is not null && certificateDer.AsSpan().SequenceEqual(last.CertificateDer))
        {
            return last.Node;
        }

        if (!CertificateFields.TryParseDer(certificateDer, out var fields, out var error))
        {
            throw new FormatException($"The signing node's certificate cannot be read: {error}.");
        }

        var node = new SigningNode(Pem.WriteCertificate(certificateDer), fields.NodeId.ToHex());
        Volatile.Write(ref _last, new Cached(certificateDer.ToArray(), node));
        return node;
    }

    private sealed record Cached(byte[] CertificateDer, SigningNode Node);
}
