using System.Security.Cryptography.X509Certificates;
using Vellum.Core.Entries;
using Vellum.Node.Api;
using Vellum.Node.Setup;
using Vellum.Storage;
using Vellum.Storage.Indexing;

namespace Vellum.Node.Recovery;

/// <summary>
/// What a ledger recovered from a backup does differently once its secrets are back: it leads
/// alone on a membership of its own, records its new service identity endorsing the lost one,
/// and serves users only once the members open it (<c>transition_service_to_open</c>).
/// </summary>
internal static class RecoveredService
{
    /// <summary>
    /// The last seqno whose membership records belong to a lost service: the latest recovery the
    /// ledger records, or, before the recovered node has recorded it, the one its settings name.
    /// </summary>
    public static long ConfigurationFloor(NodeSettings settings, Ledger ledger)
    {
        var floor = settings.RecoveredAfterSeqno ?? 0;
        if (ledger.FindLastByKey(IndexKey.Collection(ServiceRecord.Collection), ledger.LastSeqno) is { } seqno)
        {
            var write = EntryCodec.ReadWrite(ledger.ReadEntry(seqno));
            floor = Math.Max(floor, ServiceRecord.Parse(write.Contents, write.Header.Id).RecoveredAfterSeqno);
        }

        return floor;
    }

    /// <summary>On the primary of a recovered ledger, records its service identity with the endorsement of the lost one, once; completes when committed.</summary>
    public static async Task RecordIfDueAsync(NodeContext node, CancellationToken cancellationToken)
    {
        var material = node.Material;
        if (material.Settings.RecoveredAfterSeqno is not { } recoveredAfter || node.Services.Recorded(material.Service.CertificatePem))
        {
            return;
        }

        var previousPem = await File.ReadAllTextAsync(material.Directory.PreviousServiceCertificate, cancellationToken);
        using var previous = X509Certificate2.CreateFromPem(previousPem);
        var record = ServiceRecord.Write(previousPem, material.Service.CertificatePem, material.Service.EndorsePrevious(previous), recoveredAfter);
        var id = await node.Sequencer.AppendAsync(ServiceRecord.Collection, [], record, cancellationToken);
        await node.Commits.WaitCommittedAsync(id.Seqno, cancellationToken);
    }

    /// <summary>Whether users are served: always, unless the latest recovered identity is not opened by governance yet.</summary>
    public static bool IsOpen(NodeContext node)
    {
        if (node.Services.Records is not [.., var latest])
        {
            return true;
        }

        return node.Governance.Read(consortium => consortium?.OpenedServices.Contains(latest.ServiceIdentityId) ?? false);
    }

    /// <summary>Refuses a user request while the recovered service is not open.</summary>
    /// <exception cref="ApiException">503 <c>ServiceNotOpen</c>.</exception>
    public static void RequireOpen(NodeContext node)
    {
        if (!IsOpen(node))
        {
            throw new ApiException(
                StatusCodes.Status503ServiceUnavailable,
                ErrorCodes.ServiceNotOpen,
                "The service was recovered from a backup and is not open yet: its members must accept a transition_service_to_open proposal naming this service's certificate.");
        }
    }
}
