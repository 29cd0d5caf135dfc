using Vellum.Storage.Files;

namespace Vellum.Node.Setup;

/// <summary>
/// The files of a node's data folder (documented in docs/operations.md). Files are written whole
/// and atomically: to a temporary name, fsynced, renamed, and the folder fsynced, so a crash
/// leaves either the old file or the new one. Secrets are created with mode 0600.
/// </summary>
internal sealed class DataDirectory(string root)
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Settings => Path.Combine(Root, "vellum.json");

    public string ServiceCertificate => Path.Combine(Root, "service_cert.pem");

    public string ServiceKey => Path.Combine(Root, "service_key.pem");

    public string NodeCertificate => Path.Combine(Root, "node_cert.pem");

    public string NodeKey => Path.Combine(Root, "node_key.pem");

    public string ServiceSecret => Path.Combine(Root, "service_secret.key");

    /// <summary>A private ledger's ledger secrets (<see cref="LedgerSecretFile"/>); absent for a public ledger.</summary>
    public string LedgerSecret => Path.Combine(Root, "ledger_secret.key");

    public string AdminCertificate => Path.Combine(Root, "user_admin_cert.pem");

    public string AdminKey => Path.Combine(Root, "user_admin_key.pem");

    /// <summary>The first member's certificate, written when the ledger is created (the given one, or a new one).</summary>
    public string MemberCertificate => Path.Combine(Root, "member0_cert.pem");

    /// <summary>The first member's private key, when the node created the member.</summary>
    public string MemberKey => Path.Combine(Root, "member0_key.pem");

    /// <summary>The first member's private encryption key (RSA, PKCS#8), when the node created the member: it decrypts the member's recovery shares.</summary>
    public string MemberEncryptionKey => Path.Combine(Root, "member0_enc_key.pem");

    /// <summary>The first member's public encryption key, which the founding record carries; absent when the member holds no recovery share.</summary>
    public string MemberEncryptionPublicKey => Path.Combine(Root, "member0_enc_pubk.pem");

    public string Ledger => Path.Combine(Root, "ledger");

    /// <summary>A recovered ledger's previous service certificate, copied from the backup by <c>vellum recover</c>.</summary>
    public string PreviousServiceCertificate => Path.Combine(Root, "previous_service_cert.pem");

    /// <summary>Every file that holds a private key or secret: what a hard delete overwrites before unlinking.</summary>
    public IEnumerable<string> SecretFiles => [ServiceKey, NodeKey, ServiceSecret, LedgerSecret, AdminKey, MemberKey, MemberEncryptionKey];

    /// <summary>The consensus term and vote, saved before the node answers a vote or takes a new term.</summary>
    public string ConsensusState => Path.Combine(Root, "consensus_state.json");

    /// <summary>The last commit index the node knew, saved now and then so that a restart reports it at once.</summary>
    public string CommitPoint => Path.Combine(Root, "commit_point.json");

    /// <summary>Present while a first start or a recovery makes the folder (<see cref="FolderCreation"/>).</summary>
    public string CreationMark => Path.Combine(Root, "CREATING");

    /// <summary>Every file of a ledger's folder but <c>vellum.json</c>, the ledger folder and <c>LOCK</c>: what creating a ledger may write.</summary>
    public IEnumerable<string> CreatedFiles =>
    [
        ServiceCertificate, ServiceKey, NodeCertificate, NodeKey, ServiceSecret, LedgerSecret, AdminCertificate, AdminKey,
        MemberCertificate, MemberKey, MemberEncryptionKey, MemberEncryptionPublicKey, PreviousServiceCertificate, ConsensusState, CommitPoint,
    ];

    public void Create() => Directory.CreateDirectory(Root);

    /// <summary>Takes the folder's lock, so that a second node on it fails before touching any file.</summary>
    /// <exception cref="NodeStartException">Another process holds it.</exception>
    public IDisposable Lock()
    {
        try
        {
            return DiskFileSystem.Instance.LockDirectory(Root);
        }
        catch (IOException exception)
        {
            throw new NodeStartException($"Another node is running on {Root}.", exception);
        }
    }

    public void Delete(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
            DiskFileSystem.Instance.SyncDirectory(Root);
        }
    }

    public void WritePublic(string path, ReadOnlySpan<byte> contents) => Write(path, contents, secret: false);

    public void WriteSecret(string path, ReadOnlySpan<byte> contents) => Write(path, contents, secret: true);

    private void Write(string path, ReadOnlySpan<byte> contents, bool secret)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (secret && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(contents);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        DiskFileSystem.Instance.SyncDirectory(Root);
    }
}
