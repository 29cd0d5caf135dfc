using System.Security.Cryptography;
using Vellum.Core.Encryption;
using Vellum.Core.Identity;

namespace Vellum.Node.Setup;

/// <summary>
/// The identities, secret and settings a node runs with, loaded or created by <see cref="NodeSetup"/>,
/// and the lock on the data folder, held for the node's life.
/// </summary>
internal sealed class NodeMaterial(DataDirectory directory, NodeSettings settings, ServiceIdentity service, NodeIdentity node, byte[] serviceSecret, IReadOnlyList<LedgerSecret> ledgerSecrets, bool created, IDisposable folderLock) : IDisposable
{
    public DataDirectory Directory { get; } = directory;

    public NodeSettings Settings { get; } = settings;

    public ServiceIdentity Service { get; } = service;

    public NodeIdentity Node { get; } = node;

    /// <summary>The secret commit evidence and claim secrets are derived from.</summary>
    public ReadOnlyMemory<byte> ServiceSecret => serviceSecret;

    /// <summary>A private ledger's secrets, by version; empty for a public ledger.</summary>
    public IReadOnlyList<LedgerSecret> LedgerSecrets { get; } = ledgerSecrets;

    /// <summary>Whether this start created the ledger's identities.</summary>
    public bool Created { get; } = created;

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(serviceSecret);
        foreach (var secret in LedgerSecrets)
        {
            secret.Dispose();
        }

        Node.Dispose();
        Service.Dispose();
        folderLock.Dispose();
    }
}
