using System.Security.Cryptography;
using Vellum.Core;
using Vellum.Core.Encryption;
using Vellum.Core.Entries;
using Vellum.Node.Governance;
using Vellum.Node.Setup;
using Vellum.Storage;

namespace Vellum.Node.Recovery;

/// <summary>
/// What the secret members recovered gives back, and the check that it is this ledger's. A public
/// ledger's deal protects the service secret itself; a private ledger's protects its latest ledger
/// secret, which unwinds the chain of <c>vellum:secrets</c> records back to version 0 and opens the
/// service secret. Either way the service secret must derive the commit evidence digest of the
/// ledger's last entry, which no other secret does.
/// </summary>
internal static class RecoverySecrets
{
    /// <summary>
    /// Refuses a private ledger holding a ledger secret record newer than its latest deal and
    /// sealed for the lost service's nodes (format 2): the shares recover an older secret, which
    /// cannot open it, so the recovered node could not start. A rotation writes its deal with its
    /// record, so a ledger Vellum wrote does not come to this.
    /// </summary>
    /// <exception cref="NodeStartException">Such a record is in the ledger.</exception>
    public static void CheckDealCoversRecords(DealRecord deal, Ledger ledger, string root)
    {
        if (deal.Dealt == DealtSecret.Ledger
            && LedgerSecretRecords.Read(ledger).FirstOrDefault(record => record.Version > deal.LedgerSecretVersion && record.Format == LedgerSecretRecord.ServiceKeyFormat) is { } beyond)
        {
            throw new NodeStartException($"The ledger restored in {root} holds ledger secret version {beyond.Version}, sealed for the lost service's nodes, but its latest recovery deal is of version {deal.LedgerSecretVersion}, which cannot open it: the ledger cannot be recovered from this backup.");
        }
    }

    /// <summary>Whether <paramref name="secret"/>, recovered from <paramref name="deal"/>, opens this ledger.</summary>
    public static bool Confirms(byte[] secret, DealRecord deal, Ledger ledger)
    {
        var unwound = Unwind(secret, deal, ledger);
        if (unwound is null)
        {
            return false;
        }

        try
        {
            var last = EntryCodec.ReadHeader(ledger.ReadEntry(ledger.LastSeqno));
            using var evidence = new CommitEvidenceDeriver(unwound.ServiceSecret);
            return evidence.DeriveDigest(last.Id) == last.CommitEvidenceDigest;
        }
        finally
        {
            Clear(unwound);
        }
    }

    /// <summary>
    /// Saves the recovered secrets in the data folder: a private ledger's every version up to the
    /// dealt one in <c>ledger_secret.key</c> (their records are sealed for the lost service's
    /// nodes, which the new service key cannot open; later records are opened at start as on any
    /// node), then the service secret, last, since its presence ends the collection of shares.
    /// </summary>
    public static void Write(DataDirectory directory, DealRecord deal, byte[] secret, Ledger ledger)
    {
        var unwound = Unwind(secret, deal, ledger) ?? throw new NodeStartException("The recovered secret no longer opens the ledger's secret records.");
        try
        {
            if (deal.Dealt == DealtSecret.Ledger)
            {
                var json = LedgerSecretFile.ToJson(unwound.Secrets);
                directory.WriteSecret(directory.LedgerSecret, json);
                CryptographicOperations.ZeroMemory(json);
            }

            directory.WriteSecret(directory.ServiceSecret, unwound.ServiceSecret);
        }
        finally
        {
            Clear(unwound);
        }
    }

    // Null when the secret does not unwind the ledger's records: wrong shares, or records altered.
    private static UnwoundSecrets? Unwind(byte[] secret, DealRecord deal, Ledger ledger)
    {
        if (deal.Dealt == DealtSecret.Service)
        {
            return new UnwoundSecrets([], (byte[])secret.Clone());
        }

        var records = LedgerSecretRecords.Read(ledger).Where(record => record.Version <= deal.LedgerSecretVersion).ToList();
        try
        {
            return LedgerSecretChain.Unwind(records, secret);
        }
        catch (Exception exception) when (exception is LedgerSecretChainException or ArgumentException)
        {
            return null;
        }
    }

    private static void Clear(UnwoundSecrets unwound)
    {
        foreach (var ledgerSecret in unwound.Secrets)
        {
            ledgerSecret.Dispose();
        }

        CryptographicOperations.ZeroMemory(unwound.ServiceSecret);
    }
}
