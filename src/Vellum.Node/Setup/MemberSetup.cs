using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Vellum.Core.Identity;

namespace Vellum.Node.Setup;

/// <summary>The consortium's first member, made when a ledger is created: its certificate always, and its key when the node made it.</summary>
internal static class MemberSetup
{
    public static void WriteFirstMember(DataDirectory directory, X509Certificate2? given, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (given is not null)
        {
            // An interrupted earlier attempt may have made a member this one replaces.
            directory.Delete(directory.MemberKey);
            directory.WritePublic(directory.MemberCertificate, Encoding.UTF8.GetBytes(Pem.WriteCertificate(given)));
            return;
        }

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Vellum Member 0", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        directory.WriteSecret(directory.MemberKey, Encoding.UTF8.GetBytes(Pem.WritePrivateKey(key)));
        directory.WritePublic(directory.MemberCertificate, Encoding.UTF8.GetBytes(Pem.WriteCertificate(certificate)));
    }
}
