using System.Security.Cryptography;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Node.Governance;
using Vellum.Node.Setup;
using Vellum.Storage;

namespace Vellum.Node.Recovery;

/// <summary>
/// What the secret members recovered gives back, and the check that it is this ledger's: the
/// service secret must derive the commit evidence digest of the ledger's last entry, which no
/// other secret does. A public ledger's deal protects the service secret itself.
/// </summary>
internal static class RecoverySecrets
{
    /// <summary>Whether <paramref name="secret"/>, recovered from <paramref name="deal"/>, opens this ledger.</summary>
    public static bool Confirms(byte[] secret, DealRecord deal, Ledger ledger)
    {
        var serviceSecret = ServiceSecretOf(secret, deal, ledger);
        try
        {
            var last = EntryCodec.ReadHeader(ledger.ReadEntry(ledger.LastSeqno));
            using var evidence = new CommitEvidenceDeriver(serviceSecret);
            return evidence.DeriveDigest(last.Id) == last.CommitEvidenceDigest;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serviceSecret);
        }
    }

    /// <summary>Saves the recovered secrets in the data folder; the service secret last, since its presence ends the collection of shares.</summary>
    public static void Write(DataDirectory directory, NodeSettings settings, DealRecord deal, byte[] secret, Ledger ledger)
    {
        var serviceSecret = ServiceSecretOf(secret, deal, ledger);
        try
        {
            if (settings.LedgerType == LedgerType.Private)
            {
                throw new NodeStartException("Recovering a private ledger is not available yet.");
            }

            directory.WriteSecret(directory.ServiceSecret, serviceSecret);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(serviceSecret);
        }
    }

    private static byte[] ServiceSecretOf(byte[] secret, DealRecord deal, Ledger ledger)
    {
        _ = ledger;
        return deal.Dealt == DealtSecret.Service ? (byte[])secret.Clone() : throw new NodeStartException("Recovering a private ledger is not available yet.");
    }
}
