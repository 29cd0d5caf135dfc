using System.Security.Cryptography;
using Vellum.Core.Recovery;
using Vellum.Node.Governance.Voting;

namespace Vellum.Node.Governance;

/// <summary>
/// Whom recovery shares are dealt to now: the consortium's members that hold an encryption key,
/// ordered by id, and its recovery threshold. <see cref="RecoveryDealer"/> deals by it whenever the
/// latest deal stops matching, and <see cref="SecretsLedger"/> deals a new ledger secret by it in
/// the same append as the secret's record.
/// </summary>
internal sealed class DealPlan
{
    private readonly IReadOnlyList<(string Id, string KeyPem)> _holders;

    private DealPlan(IReadOnlyList<(string Id, string KeyPem)> holders, int threshold)
    {
        _holders = holders;
        Threshold = threshold;
    }

    /// <summary>How many shares recover the secret.</summary>
    public int Threshold { get; }

    /// <summary>The plan of the consortium as <paramref name="governance"/> holds it now; null before the consortium is founded or while no member holds an encryption key.</summary>
    public static DealPlan? Read(GovernanceLedger governance) => governance.Read(Of);

    private static DealPlan? Of(Consortium? consortium)
    {
        var plan = consortium is null
            ? null
            : new DealPlan(
                consortium.Members.Where(member => member.EncryptionKeyPem is not null).OrderBy(member => member.Id, StringComparer.Ordinal).Select(member => (member.Id, member.EncryptionKeyPem!)).ToList(),
                consortium.RecoveryThreshold);
        return plan is { _holders.Count: > 0 } ? plan : null;
    }

    /// <summary>Whether <paramref name="other"/> deals to the same members' keys with the same threshold.</summary>
    public bool SameAs(DealPlan? other) => other is not null && other.Threshold == Threshold && other._holders.SequenceEqual(_holders);

    /// <summary>Whether <paramref name="latest"/> already deals <paramref name="dealt"/> of <paramref name="version"/> by this plan.</summary>
    /// <exception cref="FormatException">A member's key is not a valid encryption key.</exception>
    public bool IsMatchedBy(DealRecord latest, DealtSecret dealt, int version)
    {
        var keys = OpenKeys();
        try
        {
            var keyIds = _holders.Select((holder, i) => (holder.Id, keys[i].KeyId)).ToDictionary(pair => pair.Id, pair => pair.KeyId, StringComparer.Ordinal);
            return latest.Matches(dealt, version, Threshold, keyIds);
        }
        finally
        {
            keys.ForEach(key => key.Dispose());
        }
    }

    /// <summary>A new deal of <paramref name="secret"/> by this plan, as the <c>vellum:recovery</c> record that carries it.</summary>
    /// <exception cref="ArgumentException">The keys cannot be dealt to: two members share a key, or there are more than 255.</exception>
    /// <exception cref="FormatException">A member's key is not a valid encryption key.</exception>
    public (byte[] Record, DealId DealId, int Holders) Deal(DealtSecret dealt, int version, ReadOnlySpan<byte> secret)
    {
        var keys = OpenKeys();
        try
        {
            var deal = RecoveryDeal.Create(secret, keys, Threshold, RandomNumberGenerator.Fill);
            return (DealRecord.Write(dealt, version, deal, [.. _holders.Select(holder => holder.Id)]), deal.DealId, keys.Count);
        }
        finally
        {
            keys.ForEach(key => key.Dispose());
        }
    }

    private List<MemberEncryptionKey> OpenKeys()
    {
        var keys = new List<MemberEncryptionKey>(_holders.Count);
        try
        {
            foreach (var (_, pem) in _holders)
            {
                keys.Add(MemberEncryptionKey.FromPem(pem));
            }

            return keys;
        }
        catch
        {
            keys.ForEach(key => key.Dispose());
            throw;
        }
    }
}
