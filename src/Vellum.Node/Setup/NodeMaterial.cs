using System.Security.Cryptography;
using Vellum.Core.Identity;

namespace Vellum.Node.Setup;

/// <summary>
/// The identities, secret and settings a node runs with, loaded or created by <see cref="NodeSetup"/>,
/// and the lock on the data folder, held for the node's life.
/// </summary>
internal sealed class NodeMaterial(DataDirectory directory, NodeSettings settings, ServiceIdentity service, NodeIdentity node, byte[] serviceSecret, bool created, IDisposable folderLock) : IDisposable
{
    public DataDirectory Directory { get; } = directory;

    public NodeSettings Settings { get; } = settings;

    public ServiceIdentity Service { get; } = service;

    public NodeIdentity Node { get; } = node;

    /// <summary>The secret commit evidence and claim secrets are derived from.</summary>
    public ReadOnlySpan<byte> ServiceSecret => serviceSecret;

    /// <summary>Whether this start created the ledger's identities.</summary>
    public bool Created { get; } = created;

    public void Dispose()
    {
        CryptographicOperations.ZeroMemory(serviceSecret);
        Node.Dispose();
        Service.Dispose();
        folderLock.Dispose();
    }
}
