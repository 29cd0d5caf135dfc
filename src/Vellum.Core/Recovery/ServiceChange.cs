using System.Text.Json;

namespace Vellum.Core.Recovery;

/// <summary>
/// A change of service identity as the ledger keeps it: the contents of an entry in the reserved,
/// public collection <c>vellum:service</c>, written by a node recovered from a backup before it
/// writes anything else of its own (docs/storage-format.md). Entries up to
/// <see cref="RecoveredAfterSeqno"/> were signed by nodes of the previous service, and
/// <see cref="Endorsement"/> (the previous service's public key certified by the new service)
/// links their node certificates to the new one. Nodes replay these records; auditors read them
/// from the ledger files.
/// </summary>
/// <param name="Id">The transaction that recorded the change.</param>
/// <param name="PreviousServiceCertificate">The certificate of the service lost in the disaster (PEM).</param>
/// <param name="ServiceCertificate">The certificate of the recovered service (PEM).</param>
/// <param name="Endorsement">The previous service's public key, certified by the recovered service (PEM).</param>
/// <param name="RecoveredAfterSeqno">The last seqno of the ledger recovered.</param>
public sealed record ServiceChange(TransactionId Id, string PreviousServiceCertificate, string ServiceCertificate, string Endorsement, long RecoveredAfterSeqno)
{
    /// <summary>The reserved collection the records are written to.</summary>
    public const string Collection = "vellum:service";

    /// <summary>The version of the record's JSON.</summary>
    public const int FormatVersion = 1;

    /// <summary>The record's contents, compact UTF-8 JSON.</summary>
    public static byte[] Write(string previousServiceCertificate, string serviceCertificate, string endorsement, long recoveredAfterSeqno)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("formatVersion", FormatVersion);
            writer.WriteString("previousServiceCertificate", previousServiceCertificate);
            writer.WriteString("serviceCertificate", serviceCertificate);
            writer.WriteString("endorsement", endorsement);
            writer.WriteNumber("recoveredAfterSeqno", recoveredAfterSeqno);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a record written in transaction <paramref name="id"/>.</summary>
    /// <exception cref="InvalidDataException">The record is malformed: the ledger is corrupt.</exception>
    public static ServiceChange Parse(ReadOnlySpan<byte> contents, TransactionId id)
    {
        try
        {
            using var document = JsonDocument.Parse(contents.ToArray());
            var root = document.RootElement;
            var version = root.GetProperty("formatVersion").GetInt32();
            if (version != FormatVersion)
            {
                throw new InvalidDataException($"format version {version} is not {FormatVersion}");
            }

            var recoveredAfter = root.GetProperty("recoveredAfterSeqno").GetInt64();
            if (recoveredAfter < 1 || recoveredAfter >= id.Seqno)
            {
                throw new InvalidDataException($"it names seqno {recoveredAfter}, which is not before its own");
            }

            return new ServiceChange(
                id,
                Required(root, "previousServiceCertificate"),
                Required(root, "serviceCertificate"),
                Required(root, "endorsement"),
                recoveredAfter);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or InvalidDataException)
        {
            throw new InvalidDataException($"The service record in transaction {id} is malformed: {exception.Message}", exception);
        }
    }

    /// <summary>
    /// The <c>serviceEndorsements</c> that link a node certificate signing at
    /// <paramref name="signatureSeqno"/> to the current service: the endorsement of each recovery
    /// after it, oldest first; none for a transaction signed by the current service.
    /// </summary>
    /// <param name="changes">Every change of service identity in the ledger, in ledger order.</param>
    /// <param name="signatureSeqno">The seqno of the signature transaction.</param>
    public static IReadOnlyList<string> EndorsementsFor(IEnumerable<ServiceChange> changes, long signatureSeqno) =>
        [.. changes.Where(change => change.RecoveredAfterSeqno >= signatureSeqno).Select(change => change.Endorsement)];

    private static string Required(JsonElement root, string name) =>
        root.GetProperty(name).GetString() is { Length: > 0 } value ? value : throw new InvalidDataException($"\"{name}\" is empty");
}
