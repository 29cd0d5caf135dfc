namespace Vellum.Storage.Audit;

/// <summary>What an audit checks beyond the files themselves.</summary>
public sealed record LedgerAuditOptions
{
    /// <summary>
    /// The trusted service certificate (PEM): every signature's node certificate must chain to it,
    /// through the endorsements of the ledger's changes of service identity. Null checks every
    /// signature under the certificate it carries but not who endorsed that certificate.
    /// </summary>
    public string? ServiceCertificatePem { get; init; }

    /// <summary>
    /// Whether the newest chunk may be open (<c>ledger_&lt;first&gt;.open</c>), as in a stopped
    /// node's data folder. Its entries after its last signature are covered by no signature: they
    /// are counted in <see cref="LedgerAuditReport.UnsignedEntries"/>, not audited.
    /// </summary>
    public bool AllowOpenChunk { get; init; }

    /// <summary>Told the number of bytes audited so far, after each chunk.</summary>
    public IProgress<long>? Progress { get; init; }
}
