using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Vellum.Node;
using Vellum.Node.Authentication.Jwt;
using Vellum.Node.Backup;
using Vellum.Node.Sequencing;

namespace Vellum.Cli.Commands;

/// <summary>The options of <c>vellum start</c> and how they become <see cref="NodeOptions"/>.</summary>
internal sealed class StartOptions
{
    private readonly Option<string> _data = new("--data") { Description = "The data folder.", HelpName = "DIR", DefaultValueFactory = _ => "./" + NodeOptions.DefaultDataDirectory };
    private readonly Option<string> _listen = new("--listen") { Description = "The address and port to listen on (port 0 picks a free one).", HelpName = "HOST:PORT", DefaultValueFactory = _ => $"127.0.0.1:{NodeOptions.DefaultPort}" };
    private readonly Option<string?> _peerListen = new("--peer-listen") { Description = "The address and port to listen on for other nodes (default: the --listen port plus one); connections to them leave from its address.", HelpName = "HOST:PORT" };
    private readonly Option<string?> _peerAdvertise = new("--peer-advertise") { Description = "The address and port other nodes are told to reach this one at, when a proxy or port forward stands in front of --peer-listen.", HelpName = "HOST:PORT" };
    private readonly Option<string> _joins = CreateJoinsOption();
    private readonly Option<string?> _ledgerType = CreateLedgerTypeOption();
    private readonly Option<string?> _name = new("--name") { Description = $"The ledger's name (its ledger id); fixed when the ledger is created (default {NodeOptions.DefaultName}).", HelpName = "ID" };
    private readonly Option<string?> _adminCert = new("--admin-cert") { Description = "On first start, make this existing certificate (PEM) the initial Administrator instead of creating one.", HelpName = "FILE" };
    private readonly Option<string?> _memberCert = new("--member-cert") { Description = "On first start, make this existing certificate (PEM) the consortium's first member instead of creating one.", HelpName = "FILE" };
    private readonly Option<string[]> _jwtIssuers = new("--jwt-issuer") { Description = "Accept bearer tokens from this OpenID issuer (https URL); repeatable.", HelpName = "URL" };
    private readonly Option<string[]> _jwtAudiences = new("--jwt-audience") { Description = $"An audience bearer tokens may carry; repeatable (default {JwtOptions.DefaultAudience}).", HelpName = "AUDIENCE" };
    private readonly Option<string?> _jwtIssuerCa = new("--jwt-issuer-ca") { Description = "Trust only this CA certificate (PEM) for the issuers' HTTPS, instead of the system's.", HelpName = "FILE" };
    private readonly Option<int> _maxBodyBytes = new("--max-body-bytes") { Description = "The largest request body accepted; larger ones get 413.", HelpName = "BYTES", DefaultValueFactory = _ => new NodeOptions().MaxRequestBodyBytes };
    private readonly Option<int> _signatureIntervalMs = new("--signature-interval-ms") { Description = "Under continuous load, sign at least this often (an idle node signs at once).", HelpName = "MS", DefaultValueFactory = _ => (int)new SignatureCadence().MaxInterval.TotalMilliseconds };
    private readonly Option<int> _signatureMaxEntries = new("--signature-max-entries") { Description = "Sign at least every this many entries (a batch is never split).", HelpName = "COUNT", DefaultValueFactory = _ => new SignatureCadence().MaxUnsignedEntries };

    private readonly Option<string?> _backupTo = new("--backup-to") { Description = "Copy committed, closed ledger chunks and the public identity to this folder on a schedule (see vellum backup).", HelpName = "BACKUP" };
    private readonly Option<long> _maxChunkBytes = new("--max-chunk-bytes") { Description = "Close a ledger chunk once it holds this many bytes; backups copy closed chunks only.", HelpName = "BYTES", DefaultValueFactory = _ => new NodeOptions().MaxChunkBytes };
    private readonly Option<int> _backupIntervalS = new("--backup-interval-s") { Description = "How often the scheduled backup runs, in seconds; it also runs at start.", HelpName = "SECONDS", DefaultValueFactory = _ => (int)new NodeOptions().BackupInterval.TotalSeconds };

    public IEnumerable<Option> All => [_data, _listen, _peerListen, _peerAdvertise, _joins, _ledgerType, _name, _adminCert, _memberCert, _jwtIssuers, _jwtAudiences, _jwtIssuerCa, _maxBodyBytes, _signatureIntervalMs, _signatureMaxEntries, _backupTo, _backupIntervalS, _maxChunkBytes];

    /// <summary>The options that only shape a new ledger: a recovered one takes all four from its backup, a joining node from the ledger it joins.</summary>
    public IEnumerable<Option> Creation => [_ledgerType, _name, _adminCert, _memberCert];

    /// <summary>
    /// Adds every option to <paramref name="command"/>, a command that makes no new ledger: the
    /// creation options are parsed, so that they get <see cref="CreationRefusal"/> rather than
    /// "unrecognized", but not offered in its help.
    /// </summary>
    public void AddWithoutCreation(Command command)
    {
        foreach (var option in All)
        {
            option.Hidden = Creation.Contains(option);
            command.Options.Add(option);
        }
    }

    /// <summary>The usage error for a creation option given to <paramref name="command"/>, whose ledger <paramref name="decidedBy"/> decides; null when none was given.</summary>
    public string? CreationRefusal(ParseResult parseResult, string command, string decidedBy) =>
        Creation.FirstOrDefault(option => parseResult.GetResult(option) is { Implicit: false }) is { } given
            ? $"{command} takes no {given.Name}: {decidedBy} decides the ledger's name, type, initial Administrator and first member."
            : null;

    /// <summary>The node options the command line asks for; <paramref name="awaitingShares"/> is told when the folder awaits recovery shares.</summary>
    public bool TryBuild(ParseResult parseResult, Action<Vellum.Node.Recovery.RecoveryWait> awaitingShares, out NodeOptions options, out string problem)
    {
        options = null!;
        if (!ListenAddress.TryParse(parseResult.GetRequiredValue(_listen), out var endpoint, out var host, out problem))
        {
            problem = $"--listen {problem}";
            return false;
        }

        IPEndPoint? peerEndpoint = null;
        if (parseResult.GetValue(_peerListen) is { } peerText && !ListenAddress.TryParse(peerText, out peerEndpoint, out _, out problem))
        {
            problem = $"--peer-listen {problem}";
            return false;
        }

        var peerAdvertise = parseResult.GetValue(_peerAdvertise);
        if (peerAdvertise is not null && !IsAdvertisable(peerAdvertise, out problem))
        {
            problem = $"--peer-advertise {problem}";
            return false;
        }

        var maxBodyBytes = parseResult.GetValue(_maxBodyBytes);
        var intervalMs = parseResult.GetValue(_signatureIntervalMs);
        var maxEntries = parseResult.GetValue(_signatureMaxEntries);
        var backupIntervalS = parseResult.GetValue(_backupIntervalS);
        var maxChunkBytes = parseResult.GetValue(_maxChunkBytes);
        if (maxBodyBytes < 1 || intervalMs < 1 || maxEntries < 1 || backupIntervalS < 1 || maxChunkBytes < 1)
        {
            problem = "--max-body-bytes, --signature-interval-ms, --signature-max-entries, --backup-interval-s and --max-chunk-bytes must be at least 1.";
            return false;
        }

        if (parseResult.GetValue(_backupTo) is { } backupTo && LedgerBackup.InsideDataFolder(parseResult.GetRequiredValue(_data), backupTo) is { } inside)
        {
            problem = $"--backup-to: {inside}";
            return false;
        }

        if (!TryReadCertificates(parseResult, out var admin, out var member, out var anchors, out problem))
        {
            return false;
        }

        var audiences = parseResult.GetValue(_jwtAudiences) ?? [];
        options = new NodeOptions
        {
            DataDirectory = parseResult.GetRequiredValue(_data),
            Listen = endpoint,
            PeerListen = peerEndpoint,
            PeerAdvertise = peerAdvertise,
            Joins = parseResult.GetRequiredValue(_joins) switch { "consortium" => JoinPolicy.Consortium, "closed" => JoinPolicy.Closed, _ => JoinPolicy.Open },
            PublicHost = host,
            LedgerType = parseResult.GetValue(_ledgerType) switch { "public" => LedgerType.Public, "private" => LedgerType.Private, _ => null },
            Name = parseResult.GetValue(_name),
            AdminCertificate = admin,
            MemberCertificate = member,
            MaxRequestBodyBytes = maxBodyBytes,
            BackupDirectory = parseResult.GetValue(_backupTo),
            BackupInterval = TimeSpan.FromSeconds(backupIntervalS),
            MaxChunkBytes = maxChunkBytes,
            AwaitingRecoveryShares = awaitingShares,
            SignatureCadence = new SignatureCadence { MaxInterval = TimeSpan.FromMilliseconds(intervalMs), MaxUnsignedEntries = maxEntries },
            Jwt = new JwtOptions
            {
                Issuers = parseResult.GetValue(_jwtIssuers) ?? [],
                Audiences = audiences.Length == 0 ? [JwtOptions.DefaultAudience] : audiences,
                IssuerTrustAnchors = anchors,
            },
            LoggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Warning)),
        };
        return true;
    }

    private bool TryReadCertificates(ParseResult parseResult, out X509Certificate2? admin, out X509Certificate2? member, out X509Certificate2Collection? anchors, out string problem)
    {
        admin = null;
        member = null;
        anchors = null;
        problem = string.Empty;
        try
        {
            if (parseResult.GetValue(_adminCert) is { } adminPath)
            {
                admin = X509Certificate2.CreateFromPem(File.ReadAllText(adminPath));
            }

            if (parseResult.GetValue(_memberCert) is { } memberPath)
            {
                member = X509Certificate2.CreateFromPem(File.ReadAllText(memberPath));
            }

            if (parseResult.GetValue(_jwtIssuerCa) is { } caPath)
            {
                anchors = [];
                anchors.ImportFromPemFile(caPath);
            }

            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
        {
            problem = $"cannot read a certificate: {exception.Message}";
            return false;
        }
    }

    // Other nodes resolve the name themselves, so it is only checked for form here.
    private static bool IsAdvertisable(string text, out string problem)
    {
        problem = string.Empty;
        var colon = text.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535
            || text.AsSpan(0, colon).ContainsAny(" \t/"))
        {
            problem = $"\"{text}\" is not HOST:PORT with a port from 1 to 65535.";
            return false;
        }

        return true;
    }

    // The parser refuses any other value, naming the three, before the node is built.
    private static Option<string> CreateJoinsOption()
    {
        var option = new Option<string>("--joins")
        {
            Description = "How this node, as primary, answers nodes that ask to join: open (admit any node whose attestation verifies; see docs/threat-model.md), " +
                "consortium (admit a node once an accepted transition_node_to_trusted names its id) or closed (admit none).",
            HelpName = "open|consortium|closed",
            DefaultValueFactory = _ => "open",
        };
        option.AcceptOnlyFromAmong("open", "consortium", "closed");
        return option;
    }

    private static Option<string?> CreateLedgerTypeOption()
    {
        var option = new Option<string?>("--ledger-type") { Description = "public or private; fixed when the ledger is created (default public).", HelpName = "TYPE" };
        option.AcceptOnlyFromAmong("public", "private");
        return option;
    }
}
