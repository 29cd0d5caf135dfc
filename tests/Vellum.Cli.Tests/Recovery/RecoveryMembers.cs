using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vellum.Core.Recovery;

namespace Vellum.Cli.Tests.Recovery;

/// <summary>
/// The members of a ledger in a recovery drill, as files a member keeps on its own machine:
/// member 0 as <c>vellum start</c> made it, and further members made here, each with a signing
/// certificate and key and an RSA encryption key for its recovery share.
/// </summary>
internal sealed class RecoveryMembers(string directory)
{
    public string Cert(int member) => Path.Combine(directory, $"member{member}_cert.pem");

    public string Key(int member) => Path.Combine(directory, $"member{member}_key.pem");

    public string EncryptionKey(int member) => Path.Combine(directory, $"member{member}_enc_key.pem");

    /// <summary>Copies member 0's files out of the data folder that made them.</summary>
    public void KeepFirst(string dataDirectory)
    {
        foreach (var file in new[] { Cert(0), Key(0), EncryptionKey(0) })
        {
            File.Copy(Path.Combine(dataDirectory, Path.GetFileName(file)), file);
        }
    }

    /// <summary>Makes member <paramref name="member"/>'s files; returns its <c>set_member</c> action.</summary>
    public object Create(int member)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest($"CN=Recovery Drill Member {member}", key, HashAlgorithmName.SHA256)
            .CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        using var encryption = MemberDecryptionKey.Generate(2048);
        File.WriteAllText(Cert(member), certificate.ExportCertificatePem());
        File.WriteAllText(Key(member), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(EncryptionKey(member), encryption.ToPem());
        return new { name = "set_member", args = new { cert = certificate.ExportCertificatePem(), encryption_pub_key = encryption.PublicKey.ToPem() } };
    }

    /// <summary>Writes a proposal file of <paramref name="actions"/>.</summary>
    public string Proposal(string name, params object[] actions)
    {
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, JsonSerializer.Serialize(new { actions }));
        return path;
    }

    /// <summary>The options that make <paramref name="member"/> the caller of a <c>vellum member</c> command against <paramref name="target"/>.</summary>
    public string[] As(int member, string target, string serviceCertificatePath) =>
        ["--target", target, "--service-cert", serviceCertificatePath, "--cert", Cert(member), "--key", Key(member)];
}
