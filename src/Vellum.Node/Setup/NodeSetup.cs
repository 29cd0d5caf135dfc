using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vellum.Core.Encryption;
using Vellum.Core.Identity;

namespace Vellum.Node.Setup;

/// <summary>
/// Loads a node's material from its data folder, creating it on first start: the service
/// identity, the node key, the service secret, the initial Administrator and the settings file,
/// in that order, between the creation mark and its removal (<see cref="FolderCreation"/>), so a
/// first start interrupted before the settings file is redone, and a folder that lost its settings
/// file is refused instead.
/// </summary>
internal static class NodeSetup
{
    private static readonly TimeSpan ServiceValidity = TimeSpan.FromDays(3650);
    private static readonly TimeSpan NodeValidity = TimeSpan.FromDays(365);
    private static readonly TimeSpan AdminValidity = TimeSpan.FromDays(365);

    // Certificates start a little in the past, so that a peer whose clock runs behind accepts them.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static NodeMaterial LoadOrCreate(NodeOptions options)
    {
        var directory = new DataDirectory(options.DataDirectory);
        directory.Create();
        var folderLock = directory.Lock();
        try
        {
            var now = options.TimeProvider.GetUtcNow();
            if (File.Exists(directory.Settings))
            {
                // vellum.json is durable, so a mark left by a crash just after it is stale: removed
                // here, it can never later pass the folder off as an unfinished creation to undo.
                if (FolderCreation.Interrupted(directory) is not null)
                {
                    FolderCreation.Complete(directory);
                }

                return Load(directory, options, now, folderLock);
            }

            BeginCreation(directory);
            return Create(directory, options, now, folderLock);
        }
        catch
        {
            folderLock.Dispose();
            throw;
        }
    }

    // A folder is created afresh when it holds none of a ledger's files, or when its mark says a
    // first start was interrupted there, whose files are then removed.
    private static void BeginCreation(DataDirectory directory)
    {
        var interrupted = FolderCreation.Interrupted(directory);
        if (interrupted == FolderCreation.Recovery)
        {
            throw new NodeStartException($"{directory.Root} holds a vellum recover that was interrupted before it finished; run vellum recover again with --data {directory.Root} to redo it. Nothing was changed.");
        }

        var found = FolderCreation.ExistingFiles(directory);
        if (found.Count > 0 && (interrupted is null || found.Contains("ledger/")))
        {
            throw FolderCreation.Refusal(directory, found, "vellum start");
        }

        FolderCreation.Undo(directory);
        FolderCreation.Begin(directory, FolderCreation.FirstStart);
    }

    private static NodeMaterial Load(DataDirectory directory, NodeOptions options, DateTimeOffset now, IDisposable folderLock)
    {
        var settings = NodeSettings.Parse(directory.Settings, File.ReadAllBytes(directory.Settings));
        CheckUnchanged(settings, options, directory);
        var service = ServiceIdentity.FromPem(File.ReadAllText(directory.ServiceCertificate), File.ReadAllText(directory.ServiceKey));
        try
        {
            var node = ReissueNodeCertificate(directory, service, File.ReadAllText(directory.NodeKey), settings.Name, options, now);
            var secret = File.ReadAllBytes(directory.ServiceSecret);
            return new NodeMaterial(directory, settings, service, node, secret, LoadLedgerSecrets(directory, settings), created: false, folderLock);
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    private static void CheckUnchanged(NodeSettings settings, NodeOptions options, DataDirectory directory)
    {
        if (options.LedgerType is { } type && type != settings.LedgerType)
        {
            throw new NodeStartException(
                $"The ledger in {directory.Root} is {Describe(settings.LedgerType)}; a ledger's type is fixed when it is created and cannot become {Describe(type)}.");
        }

        if (options.Name is { } name && name != settings.Name)
        {
            throw new NodeStartException($"The ledger in {directory.Root} is named \"{settings.Name}\", not \"{name}\"; a ledger's name is fixed when it is created.");
        }
    }

    private static NodeMaterial Create(DataDirectory directory, NodeOptions options, DateTimeOffset now, IDisposable folderLock)
    {
        var type = options.LedgerType ?? LedgerType.Public;
        var name = options.Name ?? NodeOptions.DefaultName;
        RequireValidName(name);
        var (service, node) = CreateIdentities(directory, name, options, now);
        try
        {
            var secret = RandomNumberGenerator.GetBytes(32);
            directory.WriteSecret(directory.ServiceSecret, secret);
            var ledgerSecrets = CreateLedgerSecrets(directory, type);
            var admin = options.AdminCertificate ?? CreateAdministrator(directory, now);
            MemberSetup.WriteFirstMember(directory, options.MemberCertificate, options.MemberEncryptionKey, now - ClockSkew, now + AdminValidity);
            var settings = new NodeSettings(name, type, Convert.ToHexStringLower(SHA256.HashData(admin.RawData)));
            directory.WritePublic(directory.Settings, settings.ToJson());
            FolderCreation.Complete(directory);
            return new NodeMaterial(directory, settings, service, node, secret, ledgerSecrets, created: true, folderLock);
        }
        catch
        {
            node.Dispose();
            service.Dispose();
            throw;
        }
    }

    /// <summary>Makes and saves a new service identity, and a node key with its certificate from that service; the caller owns both.</summary>
    public static (ServiceIdentity Service, NodeIdentity Node) CreateIdentities(DataDirectory directory, string name, NodeOptions options, DateTimeOffset now)
    {
        var service = ServiceIdentity.Create(new ServiceCertificateOptions { CommonName = $"Vellum Service {name}", NotBefore = now - ClockSkew, Validity = ServiceValidity });
        try
        {
            directory.WriteSecret(directory.ServiceKey, Encoding.UTF8.GetBytes(service.ExportPrivateKeyPem()));
            directory.WritePublic(directory.ServiceCertificate, Encoding.UTF8.GetBytes(service.CertificatePem));
            using (var nodeKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                directory.WriteSecret(directory.NodeKey, Encoding.UTF8.GetBytes(Pem.WritePrivateKey(nodeKey)));
            }

            return (service, ReissueNodeCertificate(directory, service, File.ReadAllText(directory.NodeKey), name, options, now));
        }
        catch
        {
            service.Dispose();
            throw;
        }
    }

    // A private ledger's first secret seals every entry from seqno 1; it is written before the
    // settings file, so an interrupted first start makes a new one when it is redone.
    private static List<LedgerSecret> CreateLedgerSecrets(DataDirectory directory, LedgerType type)
    {
        if (type == LedgerType.Public)
        {
            return [];
        }

        var bytes = RandomNumberGenerator.GetBytes(LedgerSecret.SecretBytes);
        List<LedgerSecret> secrets = [new LedgerSecret(0, 1, bytes)];
        CryptographicOperations.ZeroMemory(bytes);
        var json = LedgerSecretFile.ToJson(secrets);
        directory.WriteSecret(directory.LedgerSecret, json);
        CryptographicOperations.ZeroMemory(json);
        return secrets;
    }

    private static List<LedgerSecret> LoadLedgerSecrets(DataDirectory directory, NodeSettings settings)
    {
        if (settings.LedgerType == LedgerType.Public)
        {
            return [];
        }

        if (!File.Exists(directory.LedgerSecret))
        {
            throw new NodeStartException($"The ledger in {directory.Root} is private, but its secret file {directory.LedgerSecret} is missing; without it no entry can be read or written.");
        }

        try
        {
            return LedgerSecretFile.Parse(directory.LedgerSecret, File.ReadAllBytes(directory.LedgerSecret));
        }
        catch (InvalidDataException exception)
        {
            throw new NodeStartException(exception.Message, exception);
        }
    }

    private static void RequireValidName(string name)
    {
        if (name.Length is 0 or > 63 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-') || name[0] == '-')
        {
            throw new NodeStartException($"The ledger name \"{name}\" is not valid: use 1 to 63 ASCII letters, digits and hyphens, not starting with a hyphen.");
        }
    }

    private static X509Certificate2 CreateAdministrator(DataDirectory directory, DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Vellum Administrator", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(now - ClockSkew, now + AdminValidity);
        directory.WriteSecret(directory.AdminKey, Encoding.UTF8.GetBytes(Pem.WritePrivateKey(key)));
        directory.WritePublic(directory.AdminCertificate, Encoding.UTF8.GetBytes(Pem.WriteCertificate(certificate)));
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    // The node certificate is issued afresh at every start, for the same key, so that it names the
    // current listen address and never expires under a running ledger; the node id, a digest of the
    // public key, stays the same. Earlier certificates stay valid in the signatures that carry them.
    private static NodeIdentity ReissueNodeCertificate(DataDirectory directory, ServiceIdentity service, string keyPem, string name, NodeOptions options, DateTimeOffset now)
    {
        using var key = Pem.ReadEcPrivateKey(keyPem);
        var (dnsNames, addresses) = SubjectAlternativeNames(options, name);
        var serviceCertificate = service.Certificate;
        var notBefore = Max(now - ClockSkew, new DateTimeOffset(serviceCertificate.NotBefore.ToUniversalTime()));
        var notAfter = Min(notBefore + NodeValidity, new DateTimeOffset(serviceCertificate.NotAfter.ToUniversalTime()));
        if (notAfter <= now)
        {
            throw new NodeStartException($"The service certificate expired on {serviceCertificate.NotAfter:u}; the ledger needs a new service identity.");
        }

        using var certificate = service.IssueNodeCertificate(key, new NodeCertificateOptions
        {
            Name = name,
            DnsNames = dnsNames,
            IpAddresses = addresses,
            NotBefore = notBefore,
            Validity = notAfter - notBefore,
        });
        var certificatePem = Pem.WriteCertificate(certificate);
        directory.WritePublic(directory.NodeCertificate, Encoding.UTF8.GetBytes(certificatePem));
        return NodeIdentity.FromPem(certificatePem, keyPem);
    }

    private static (List<string> DnsNames, List<IPAddress> Addresses) SubjectAlternativeNames(NodeOptions options, string name)
    {
        var dnsNames = new List<string> { "localhost", $"{name}.localhost" };
        var addresses = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        var listen = options.Listen.Address;
        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any) && !addresses.Contains(listen))
        {
            addresses.Add(listen);
        }

        if (options.PublicHost is { } host)
        {
            if (IPAddress.TryParse(host, out var address))
            {
                addresses.Add(address);
            }
            else
            {
                dnsNames.Add(host);
            }
        }

        if (listen.Equals(IPAddress.Any) || listen.Equals(IPAddress.IPv6Any))
        {
            dnsNames.Add(Dns.GetHostName());
        }

        return (dnsNames.Distinct(StringComparer.OrdinalIgnoreCase).ToList(), addresses.Where(a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6).Distinct().ToList());
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string Describe(LedgerType type) => type == LedgerType.Public ? "public" : "private";
}
