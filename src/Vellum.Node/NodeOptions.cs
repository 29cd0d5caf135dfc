using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Vellum.Node.Authentication.Jwt;
using Vellum.Node.Sequencing;

namespace Vellum.Node;

/// <summary>How a node is started: where its data lives, where it listens, and its limits.</summary>
public sealed class NodeOptions
{
    /// <summary>The default data folder, relative to the working directory.</summary>
    public const string DefaultDataDirectory = "vellum-data";

    /// <summary>The default ledger name, returned as <c>ledgerId</c> by the identity endpoint.</summary>
    public const string DefaultName = "vellum";

    /// <summary>The default port.</summary>
    public const int DefaultPort = 8443;

    /// <summary>The folder holding the ledger, the identities and the initial Administrator's credentials.</summary>
    public string DataDirectory { get; init; } = DefaultDataDirectory;

    /// <summary>Where the node listens; port 0 picks a free port (see <see cref="VellumNode.Endpoint"/>).</summary>
    public IPEndPoint Listen { get; init; } = new(IPAddress.Loopback, DefaultPort);

    /// <summary>The host name printed in examples and put in the node certificate besides localhost; null for the listen address.</summary>
    public string? PublicHost { get; init; }

    /// <summary>The ledger type: chosen when the ledger is created (public when null), and checked on later starts.</summary>
    public LedgerType? LedgerType { get; init; }

    /// <summary>The ledger's name (its ledger id): chosen when the ledger is created (<see cref="DefaultName"/> when null), and checked on later starts.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// On first start, this certificate becomes the initial Administrator instead of a newly
    /// created one; ignored on later starts.
    /// </summary>
    public X509Certificate2? AdminCertificate { get; init; }

    /// <summary>
    /// On first start, this certificate becomes the consortium's first member instead of a newly
    /// created one (whose key would be written to the data folder); ignored on later starts.
    /// </summary>
    public X509Certificate2? MemberCertificate { get; init; }

    /// <summary>
    /// With <see cref="MemberCertificate"/>: that member's public encryption key (a PEM
    /// <c>PUBLIC KEY</c> block, RSA of 2048 bits or more), to which its recovery shares are
    /// encrypted. Null: the given member holds no recovery share. Ignored without a given
    /// certificate (the node then makes the key) and on later starts.
    /// </summary>
    public string? MemberEncryptionKey { get; init; }

    /// <summary>The largest request body accepted, in bytes; larger bodies get 413.</summary>
    public int MaxRequestBodyBytes { get; init; } = 1024 * 1024;

    /// <summary>The most entries one page of <c>GET /app/transactions</c> returns.</summary>
    public int MaxEntriesPerPage { get; init; } = 100;

    /// <summary>
    /// Where the node listens for other nodes (mutual TLS with node certificates). Null: the API
    /// address with the next port up, or port 0 when the API port is 0.
    /// </summary>
    public IPEndPoint? PeerListen { get; init; }

    /// <summary>
    /// The <c>host:port</c> other nodes are told to reach this node's peer endpoint at, when that
    /// is not where it listens (a proxy, a port forward or NAT in between). Null: the peer listen
    /// address, or for an any-address listener the public host or loopback.
    /// </summary>
    public string? PeerAdvertise { get; init; }

    /// <summary>How the primary answers nodes that ask to join: see <see cref="JoinPolicy"/>.</summary>
    public JoinPolicy Joins { get; init; } = JoinPolicy.Open;

    /// <summary>How the node takes part in consensus: tick length, election timeout, heartbeats.</summary>
    public Replication.ReplicaOptions Replica { get; init; } = new();

    /// <summary>The peer endpoint to listen on: <see cref="PeerListen"/>, or the one derived from <see cref="Listen"/>.</summary>
    internal IPEndPoint EffectivePeerListen => PeerListen ?? new IPEndPoint(Listen.Address, Listen.Port == 0 ? 0 : Listen.Port + 1);

    /// <summary>The API address this node is reached at, given the port it is bound to: the public host, else the listen address.</summary>
    internal string AdvertisedApiAddress(int boundPort) => $"{PublicHostOr(Listen.Address)}:{boundPort}";

    /// <summary>The peer address other nodes are told to reach this node at, given the port its peer endpoint is bound to.</summary>
    internal string AdvertisedPeerAddress(int boundPort)
    {
        if (PeerAdvertise is { } advertised)
        {
            return advertised;
        }

        var listen = EffectivePeerListen.Address;
        var specific = !listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any);
        return $"{(specific ? ReachableAddress.HostFor(listen) : PublicHostOr(listen))}:{boundPort}";
    }

    private string PublicHostOr(IPAddress listen) => PublicHost switch
    {
        { } host when host.Contains(':', StringComparison.Ordinal) => $"[{host}]",
        { } host => host,
        null => ReachableAddress.HostFor(listen),
    };

    /// <summary>
    /// Where the node copies its committed, closed ledger chunks and public identity on a schedule
    /// (docs/operations.md); null for no scheduled backup.
    /// </summary>
    public string? BackupDirectory { get; init; }

    /// <summary>How often the scheduled backup runs; it also runs once at start.</summary>
    public TimeSpan BackupInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A ledger chunk closes at the first signature that finds it at least this large (at least
    /// 4096). Only closed chunks are backed up, so a smaller bound makes backups fresher at the
    /// cost of more files.
    /// </summary>
    public long MaxChunkBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>When the node signs: see <see cref="SignatureCadence"/>.</summary>
    public SignatureCadence SignatureCadence { get; init; } = new();

    /// <summary>
    /// Bearer token validation: the configured issuers, audiences and issuer trust. The consortium
    /// may trust further issuers (<c>set_jwt_issuer</c>, docs/governance.md); with neither, tokens
    /// get 401.
    /// </summary>
    public JwtOptions Jwt { get; init; } = new();

    /// <summary>The clock; tests substitute their own.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>The file system the ledger's files are on; tests put a failing disk here.</summary>
    internal Storage.Files.IStorageFileSystem LedgerFileSystem { get; init; } = Storage.Files.DiskFileSystem.Instance;

    /// <summary>How the node opens the ledger in <paramref name="ledgerDirectory"/>: the same for serving, recovering and collecting shares.</summary>
    internal Storage.LedgerOptions LedgerOptionsFor(string ledgerDirectory) => new()
    {
        Directory = ledgerDirectory,
        FileSystem = LedgerFileSystem,
        MaxChunkBytes = MaxChunkBytes,
        Logger = Microsoft.Extensions.Logging.LoggerFactoryExtensions.CreateLogger<Storage.Ledger>(LoggerFactory),
    };

    /// <summary>Told where and how many recovery shares to submit when the data folder holds a ledger restored by <c>vellum recover</c> that awaits them.</summary>
    public Action<Recovery.RecoveryWait>? AwaitingRecoveryShares { get; init; }

    /// <summary>Where the node logs.</summary>
    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
