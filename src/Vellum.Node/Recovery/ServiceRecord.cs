using Vellum.Core;
using Vellum.Core.Recovery;

namespace Vellum.Node.Recovery;

/// <summary>
/// A change of service identity, as the ledger keeps it (<see cref="ServiceChange"/>, whose format
/// Core defines so that auditors read it too), with the identity id governance names it by.
/// </summary>
/// <param name="Id">The transaction that recorded the change.</param>
/// <param name="PreviousServiceCertificate">The certificate of the service lost in the disaster (PEM).</param>
/// <param name="ServiceCertificate">The certificate of the recovered service (PEM).</param>
/// <param name="Endorsement">The previous service's public key, certified by the recovered service (PEM).</param>
/// <param name="RecoveredAfterSeqno">The last seqno of the ledger recovered.</param>
internal sealed record ServiceRecord(TransactionId Id, string PreviousServiceCertificate, string ServiceCertificate, string Endorsement, long RecoveredAfterSeqno)
{
    /// <summary>The recovered service's identity id (SHA-256 of its certificate), which <c>transition_service_to_open</c> names.</summary>
    public string ServiceIdentityId { get; } = Governance.Voting.Consortium.ServiceIdentityId(ServiceCertificate);

    public const string Collection = ServiceChange.Collection;

    /// <summary>The change this record holds.</summary>
    public ServiceChange Change => new(Id, PreviousServiceCertificate, ServiceCertificate, Endorsement, RecoveredAfterSeqno);

    /// <summary>The record's contents.</summary>
    public static byte[] Write(string previousServiceCertificate, string serviceCertificate, string endorsement, long recoveredAfterSeqno) =>
        ServiceChange.Write(previousServiceCertificate, serviceCertificate, endorsement, recoveredAfterSeqno);

    /// <summary>Reads a record written in transaction <paramref name="id"/>.</summary>
    /// <exception cref="InvalidDataException">The record is malformed: the ledger is corrupt.</exception>
    public static ServiceRecord Parse(ReadOnlySpan<byte> contents, TransactionId id)
    {
        var change = ServiceChange.Parse(contents, id);
        return new ServiceRecord(change.Id, change.PreviousServiceCertificate, change.ServiceCertificate, change.Endorsement, change.RecoveredAfterSeqno);
    }
}
