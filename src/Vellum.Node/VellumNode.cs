using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vellum.Core;
using Vellum.Core.Claims;
using Vellum.Core.Encryption;
using Vellum.Node.Access;
using Vellum.Node.Api;
using Vellum.Node.Authentication;
using Vellum.Node.Authentication.Jwt;
using Vellum.Node.Backup;
using Vellum.Node.Cluster;
using Vellum.Node.Governance;
using Vellum.Node.Recovery;
using Vellum.Node.Replication;
using Vellum.Node.Sequencing;
using Vellum.Node.Setup;
using Vellum.Storage;
using ClusterConfiguration = Vellum.Consensus.ClusterConfiguration;
using NodeId = Vellum.Consensus.NodeId;

namespace Vellum.Node;

/// <summary>
/// A running Vellum node: its ledger, its writer, and the HTTPS endpoint (TLS 1.3 only) that
/// serves ACL's REST API. <see cref="StartAsync"/> creates the ledger on first start and resumes
/// it afterwards; <see cref="DisposeAsync"/> stops serving, commits what was accepted and closes the ledger.
/// </summary>
public sealed partial class VellumNode : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NodeContext _node;
    private readonly AccessLedger _access;
    private readonly JwtValidator _jwt;
    private readonly X509Certificate2 _tlsCertificate;
    private bool _disposed;

    private readonly PeerNetwork _peers;
    private readonly CommitPointKeeper _commitPoint;
    private BackupScheduler? _backup;

    private VellumNode(WebApplication app, NodeContext node, AccessLedger access, JwtValidator jwt, X509Certificate2 tlsCertificate, IPEndPoint endpoint, PeerNetwork peers, CommitPointKeeper commitPoint)
    {
        _peers = peers;
        _commitPoint = commitPoint;
        _app = app;
        _node = node;
        _access = access;
        _jwt = jwt;
        _tlsCertificate = tlsCertificate;
        Endpoint = endpoint;
    }

    /// <summary>The address the node listens on (with the real port when port 0 was asked for).</summary>
    public IPEndPoint Endpoint { get; }

    /// <summary>The base URL of the API, such as <c>https://127.0.0.1:8443</c>.</summary>
    public Uri BaseAddress
    {
        get
        {
            // A node listening on every address is reached on loopback from this machine.
            return new UriBuilder(Uri.UriSchemeHttps, ReachableAddress.For(Endpoint.Address).ToString(), Endpoint.Port).Uri;
        }
    }

    /// <summary>The node's internals, for tests.</summary>
    internal NodeContext Node => _node;

    /// <summary>The ledger's name: its ledger id.</summary>
    public string LedgerName => _node.Material.Settings.Name;

    /// <summary>The service certificate, PEM: what the identity endpoint returns and receipts verify against.</summary>
    public string ServiceCertificatePem => _node.Material.Service.CertificatePem;

    /// <summary>The full path of the data folder.</summary>
    public string DataDirectory => _node.Material.Directory.Root;

    /// <summary>Where the service certificate is stored.</summary>
    public string ServiceCertificatePath => _node.Material.Directory.ServiceCertificate;

    /// <summary>The initial Administrator's certificate and key files, when this node created them.</summary>
    public (string Certificate, string Key)? CreatedAdministrator =>
        File.Exists(_node.Material.Directory.AdminKey) ? (_node.Material.Directory.AdminCertificate, _node.Material.Directory.AdminKey) : null;

    /// <summary>The scheduled backup, when <see cref="NodeOptions.BackupDirectory"/> asked for one.</summary>
    internal BackupScheduler? ScheduledBackup => _backup;

    /// <summary>The first member's certificate and key files, when this node created them.</summary>
    public (string Certificate, string Key)? CreatedMember =>
        File.Exists(_node.Material.Directory.MemberKey) ? (_node.Material.Directory.MemberCertificate, _node.Material.Directory.MemberKey) : null;

    /// <summary>The first member's private encryption key file, when this node made it and it is still in the folder.</summary>
    public string? CreatedMemberEncryptionKey =>
        File.Exists(_node.Material.Directory.MemberEncryptionKey) ? _node.Material.Directory.MemberEncryptionKey : null;

    /// <summary>The initial Administrator's user id: the SHA-256 of its certificate, hex.</summary>
    public string InitialAdministrator => _node.Material.Settings.InitialAdministrator;

    /// <summary>Whether the ledger was recovered from a backup (<c>vellum recover</c>) under a new service identity.</summary>
    public bool Recovered => _node.Material.Settings.RecoveredAfterSeqno is not null;

    /// <summary>Why the node stopped writing, when its ledger failed while it ran (a write or fsync failed, such as on a full disk); null otherwise.</summary>
    public Exception? Fault => _node.Sequencer.Fault;

    /// <summary>Whether this start created the ledger.</summary>
    public bool Created => _node.Material.Created;

    /// <summary>Whether this node joined an existing ledger (<c>vellum join</c>) rather than founding it.</summary>
    public bool Joined => _node.Material.Settings.Joined;

    /// <summary>The last committed transaction.</summary>
    public TransactionId Committed => _node.Commits.Committed;

    /// <summary>
    /// Whether this node has been retired from its cluster: the committed membership (at start, the
    /// membership in its log) no longer lists it. It then takes no part in consensus, refuses
    /// writes, and serves reads of what it held when it was retired.
    /// </summary>
    public bool IsRetired => _node.Replica.IsRetired;

    /// <summary>Creates or resumes the ledger in <see cref="NodeOptions.DataDirectory"/> and starts serving.</summary>
    /// <exception cref="NodeStartException">The data folder or the options do not allow a start; the message says why.</exception>
    public static async Task<VellumNode> StartAsync(NodeOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logger = options.LoggerFactory.CreateLogger<VellumNode>();
        await RecoveryHost.CollectSharesIfAwaitedAsync(options, cancellationToken);
        var material = NodeSetup.LoadOrCreate(options);
        await using var stack = new AsyncDisposableStack();
        stack.Push(material);
        var ledger = stack.Push(await OpenLedgerAsync(material, options, cancellationToken));
        var evidence = stack.Push(new CommitEvidenceDeriver(material.ServiceSecret.Span));
        var claimSecrets = stack.Push(new ClaimSecretDeriver(material.ServiceSecret.Span));
        var keyring = material.LedgerSecrets.Count == 0 ? null : stack.Push(new LedgerKeyring(material.LedgerSecrets));
        var commits = new CommitTracker(default);
        var log = new LedgerRaftLog(ledger, RecoveredService.ConfigurationFloor(material.Settings, ledger));
        var self = new NodeId(material.Node.NodeId);
        Sequencer? faultSink = null;

        // Disposed after the replica, whose last step may still commit.
        var commitPoint = stack.Push(CommitPointKeeper.Start(material.Directory, commits, options.Replica.CommitPointInterval, options.TimeProvider, exception => faultSink?.Fail(exception)));

        // A founder runs alone until its log records a membership; a joined node waits for the
        // membership it is replicated.
        var replica = stack.Push(new Replica(
            self,
            material.Settings.Joined ? ClusterConfiguration.Empty : ClusterConfiguration.OfVoters(self),
            log,
            ledger,
            new FileHardStateStore(material.Directory),
            commits,
            options.Replica,
            options.TimeProvider,
            options.LoggerFactory.CreateLogger<Replica>(),
            exception => faultSink?.Fail(exception)));
        replica.RestoreCommitIndex(CommitPointKeeper.Load(material.Directory));
        var sequencer = faultSink = stack.Push(new Sequencer(ledger, replica, commits, material.Node, evidence, claimSecrets, options.SignatureCadence, options.TimeProvider, options.LoggerFactory.CreateLogger<Sequencer>(), keyring));
        var node = new NodeContext(options, material, ledger, replica, sequencer, evidence, claimSecrets, keyring);
        var access = stack.Push(new AccessLedger(sequencer, ledger, log));
        access.Replay();
        var governance = node.Governance = stack.Push(new GovernanceLedger(sequencer, ledger, log));
        governance.Replay();
        var services = node.Services = new ServiceHistory(ledger, log);
        services.Replay();
        var distributionSecret = material.Service.DeriveSecret(LedgerSecretChain.DistributionSecretLabel);
        var secrets = node.Secrets = stack.Push(new SecretsLedger(sequencer, ledger, log, replica, governance, keyring, material.ServiceSecret.Span, distributionSecret, options.LoggerFactory.CreateLogger<SecretsLedger>()));
        System.Security.Cryptography.CryptographicOperations.ZeroMemory(distributionSecret);
        secrets.Replay();
        var recovery = node.Recovery = stack.Push(new RecoveryDealer(sequencer, ledger, log, replica, governance, secrets, material.ServiceSecret, options.LoggerFactory.CreateLogger<RecoveryDealer>()));
        recovery.Replay();
        var tlsCertificate = stack.Push(material.Node.CreateCertificateWithPrivateKey());
        var peers = stack.Push(PeerNetwork.Start(replica, tlsCertificate, material.Service.Certificate, options.EffectivePeerListen, (int)options.MaxRequestBodyBytes, options.TimeProvider, options.LoggerFactory.CreateLogger<PeerNetwork>()));
        replica.Start(peers.Sender);
        secrets.Start();
        recovery.Start();
        if (replica.IsLeader)
        {
            if (access.IsEmpty)
            {
                var admin = UserId.Parse(material.Settings.InitialAdministrator);
                await access.ChangeAsync([AccessChange.SetUserRoles(admin, [RoleNames.Administrator])], cancellationToken);
            }

            if (governance.IsEmpty && !material.Settings.Joined)
            {
                var founder = Governance.Voting.Consortium.MemberOf("the first member", File.ReadAllText(material.Directory.MemberCertificate), MemberSetup.ReadEncryptionKey(material.Directory));
                await governance.FoundAsync([founder], recoveryThreshold: 1, cancellationToken);
            }

            // A recovered ledger records its new identity, endorsing the lost one, before anything else of its own.
            await RecoveredService.RecordIfDueAsync(node, cancellationToken);

            // Version 0's record (and any rekey a previous primary left undone) goes in before the
            // deal, so that the deal's commit covers it.
            await secrets.CatchUpAsync(cancellationToken);

            // A ledger serves once its recovery shares are dealt and committed, so that a
            // ledger is never open with a secret its members could not recover.
            if (await recovery.DealIfStaleAsync(cancellationToken) is { } dealt)
            {
                await node.Commits.WaitCommittedAsync(dealt.Seqno, cancellationToken);
            }

            // Serve once this term's first signature has committed, and with it all that was
            // inherited: the commit index restored from the last run may already cover the log.
            // Committed is read once per turn: read twice, the signature could commit in between
            // and the wait would be for a seqno nothing will write.
            for (var committed = node.Commits.Committed; committed.View < replica.Term; committed = node.Commits.Committed)
            {
                await node.Commits.WaitCommittedAsync(committed.Seqno + 1, cancellationToken);
            }
        }

        // Made even with no configured issuer: the consortium may trust one at any time, and the
        // validator reads the consortium's issuers afresh for every token.
        var jwt = stack.Push(new JwtValidator(options.Jwt, () => governance.Read(consortium => consortium?.JwtIssuers) ?? JwtValidator.EmptyGovernedIssuers));
        var app = stack.Push(Build(options, node, access, jwt, tlsCertificate));
        await app.StartAsync(cancellationToken);
        var endpoint = ApiHost.BoundEndpoint(app, options.Listen);
        node.Admission = stack.Push(new ClusterAdmission(
            replica,
            sequencer,
            new ClusterMember(self, options.AdvertisedPeerAddress(peers.Endpoint.Port), options.AdvertisedApiAddress(endpoint.Port), material.Node.CertificatePem),
            founder: !material.Settings.Joined,
            () => governance.Read(consortium => (IReadOnlyCollection<string>?)consortium?.NodesToRetire.ToList() ?? []),
            options.Replica.TickInterval * options.Replica.Raft.ElectionTimeoutTicks / 2,
            options.TimeProvider,
            options.LoggerFactory.CreateLogger<ClusterAdmission>()));
        node.Ready = true;
        LogServing(logger, material.Settings.Name, endpoint, node.Commits.Committed);
        var started = new VellumNode(app, node, access, jwt, tlsCertificate, endpoint, peers, commitPoint);
        stack.Release();
        if (options.BackupDirectory is { } backupDirectory)
        {
            started._backup = BackupScheduler.Start(material.Directory.Root, backupDirectory, commits, options.BackupInterval, options.TimeProvider, options.LoggerFactory.CreateLogger<BackupScheduler>());
            node.ScheduledBackup = started._backup;
        }

        return started;
    }

    private static async Task<Ledger> OpenLedgerAsync(NodeMaterial material, NodeOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await Ledger.OpenAsync(
                options.LedgerOptionsFor(material.Directory.Ledger),
                cancellationToken);
        }
        catch (IOException exception) when (exception is not LedgerCorruptException)
        {
            throw new NodeStartException($"The ledger in {material.Directory.Ledger} cannot be opened: {exception.Message}", exception);
        }
    }

    private static WebApplication Build(NodeOptions options, NodeContext node, AccessLedger access, JwtValidator jwt, X509Certificate2 tlsCertificate)
    {
        var builder = ApiHost.CreateBuilder(options, tlsCertificate, node.Material.Service.Certificate);
        var app = builder.Build();
        var errors = new ErrorHandling(options.LoggerFactory.CreateLogger<ErrorHandling>());
        var authentication = new CallerAuthentication(access, jwt);
        var setTransactionId = TransactionIdHeader.OnStarting(node.Commits);
        app.Use((context, next) =>
        {
            context.Response.OnStarting(setTransactionId, context);
            return errors.InvokeAsync(context, next);
        });
        app.UseRouting();
        app.Use(authentication.InvokeAsync);
        app.Use((context, next) =>
        {
            RequestTarget.RequireWellEncoded(context);
            if (context.Request.Path.StartsWithSegments("/app"))
            {
                ApiVersions.Require(context);
                RecoveredService.RequireOpen(node);
            }

            // A retired node's log no longer grows: a write sent to it could never commit.
            if (node.Replica.IsRetired && context.GetEndpoint() is not null && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
            {
                throw new ApiException(StatusCodes.Status503ServiceUnavailable, ErrorCodes.NodeRetired, "This node has been retired from the cluster and accepts no writes; send them to a member (GET /node/members lists them).");
            }

            return next(context);
        });
        ServiceRoutes.Map(app, node);
        TransactionRoutes.Map(app, node);
        JoinRoutes.Map(app, node);
        MemberRoutes.Map(app, node);
        QueryRoutes.Map(app, node);
        ChunkRoutes.Map(app, node);
        UserRoutes.Map(app, node, access);
        GovernanceRoutes.Map(app, node, node.Governance);
        RecoveryRoutes.Map(app, node);
        RoleRoutes.Map(app, node, access);
        TreeRoutes.Map(app, node);
        CallerAuthentication.RequireDeclaredAccess(app);
        return app;
    }

    /// <summary>Stops accepting requests, lets those in flight finish, commits what was accepted, and closes the ledger.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _node.Ready = false;
        if (_backup is not null)
        {
            await _backup.DisposeAsync();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_node.Admission is { } admission)
        {
            await admission.DisposeAsync();
        }

        await _node.Secrets.DisposeAsync();
        await _node.Recovery.DisposeAsync();
        await _node.Sequencer.DisposeAsync();
        await _node.Replica.DisposeAsync();
        await _commitPoint.DisposeAsync();
        await _peers.DisposeAsync();
        await _node.Ledger.DisposeAsync();
        _access.Dispose();
        _node.Governance.Dispose();
        _jwt.Dispose();
        _node.Evidence.Dispose();
        _node.ClaimSecrets.Dispose();
        _node.Keyring?.Dispose();
        _tlsCertificate.Dispose();
        _node.Material.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ledger {Name} serving on {Endpoint}; last committed transaction {Committed}.")]
    private static partial void LogServing(ILogger logger, string name, IPEndPoint endpoint, TransactionId committed);
}
