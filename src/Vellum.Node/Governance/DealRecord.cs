using System.Text.Json;
using Vellum.Core;
using Vellum.Core.Recovery;

namespace Vellum.Node.Governance;

/// <summary>
/// One dealing of recovery shares as the ledger keeps it: the contents of an entry in the
/// reserved, public collection <c>vellum:recovery</c>. It carries the ledger secret encrypted
/// under the deal's wrapping key and each key-holding member's share of that key, encrypted to
/// the member; nothing in it is secret. The format is in docs/storage-format.md.
/// </summary>
/// <param name="Id">The transaction that recorded the deal.</param>
/// <param name="Dealt">Which secret the deal protects: a private ledger's latest ledger secret, or a public ledger's service secret.</param>
/// <param name="LedgerSecretVersion">The version of the ledger secret dealt; 0 when the service secret is.</param>
/// <param name="EncryptedSecret">The ledger secret under the deal's wrapping key.</param>
/// <param name="Shares">Each member's encrypted share, by member id.</param>
internal sealed record DealRecord(TransactionId Id, DealtSecret Dealt, int LedgerSecretVersion, EncryptedLedgerSecret EncryptedSecret, IReadOnlyDictionary<string, EncryptedRecoveryShare> Shares)
{
    public const int FormatVersion = 1;

    /// <summary>How many shares recover the secret.</summary>
    public int Threshold => EncryptedSecret.Threshold;

    /// <summary>
    /// Whether this deal is the one the consortium calls for now: the same ledger secret version,
    /// the same threshold, and a share for exactly the given holders, each to the key it holds now.
    /// </summary>
    public bool Matches(DealtSecret dealt, int ledgerSecretVersion, int threshold, IReadOnlyDictionary<string, Sha256Hash> holderKeys) =>
        Dealt == dealt
        && LedgerSecretVersion == ledgerSecretVersion
        && Threshold == threshold
        && Shares.Count == holderKeys.Count
        && holderKeys.All(holder => Shares.TryGetValue(holder.Key, out var share) && share.KeyId == holder.Value);

    /// <summary>The record of <paramref name="deal"/>, whose shares belong to <paramref name="memberIds"/> in order.</summary>
    public static byte[] Write(DealtSecret dealt, int ledgerSecretVersion, RecoveryDeal deal, IReadOnlyList<string> memberIds)
    {
        Invariant.Check(deal.Shares.Count == memberIds.Count, "a deal has one share per member");
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("formatVersion", FormatVersion);
            writer.WriteString("dealId", deal.DealId.ToString());
            writer.WriteString("secret", dealt == DealtSecret.Service ? "service" : "ledger");
            writer.WriteNumber("ledgerSecretVersion", ledgerSecretVersion);
            writer.WriteBase64String("encryptedLedgerSecret", deal.EncryptedSecret.ToBytes());
            writer.WriteStartObject("shares");
            for (var i = 0; i < memberIds.Count; i++)
            {
                writer.WriteBase64String(memberIds[i], deal.Shares[i].ToBytes());
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a record written in transaction <paramref name="id"/>.</summary>
    /// <exception cref="InvalidDataException">The record is malformed: the ledger is corrupt.</exception>
    public static DealRecord Parse(ReadOnlySpan<byte> contents, TransactionId id)
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

            var secret = EncryptedLedgerSecret.Parse(root.GetProperty("encryptedLedgerSecret").GetBytesFromBase64());
            var shares = new Dictionary<string, EncryptedRecoveryShare>(StringComparer.Ordinal);
            foreach (var property in root.GetProperty("shares").EnumerateObject())
            {
                var share = EncryptedRecoveryShare.Parse(property.Value.GetBytesFromBase64());
                if (share.DealId != secret.DealId || share.X == 0 || share.X > secret.ShareCount || !shares.TryAdd(property.Name, share))
                {
                    throw new InvalidDataException($"the share of {property.Name} does not belong to deal {secret.DealId}, or is listed twice");
                }
            }

            if (shares.Count != secret.ShareCount || root.GetProperty("dealId").GetString() != secret.DealId.ToString())
            {
                throw new InvalidDataException($"deal {secret.DealId} announces {secret.ShareCount} shares and holds {shares.Count}, or names another deal id");
            }

            var dealt = root.GetProperty("secret").GetString() switch
            {
                "service" => DealtSecret.Service,
                "ledger" => DealtSecret.Ledger,
                var other => throw new InvalidDataException($"it deals an unknown secret \"{other}\""),
            };
            return new DealRecord(id, dealt, root.GetProperty("ledgerSecretVersion").GetInt32(), secret, shares);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or RecoveryFormatException or InvalidDataException)
        {
            throw new InvalidDataException($"The recovery deal in transaction {id} is malformed: {exception.Message}", exception);
        }
    }
}
