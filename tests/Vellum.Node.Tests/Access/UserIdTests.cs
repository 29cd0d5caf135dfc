using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vellum.Node.Access;

namespace Vellum.Node.Tests.Access;

public class UserIdTests
{
    // The fingerprint ACL-WIRE.md §5 gives as the wire form of a certificate user id.
    private const string ColonUpper = "5F:23:3D:26:E2:28:88:9C:06:E0:88:21:FA:C7:B2:9A:F8:81:30:6B:F9:15:41:F2:34:05:05:44:4C:AD:5A:B5";
    private const string CanonicalForm = "5f233d26e228889c06e08821fac7b29af881306bf91541f2340505444cad5ab5";

    [Theory]
    [InlineData(ColonUpper)]
    [InlineData("5f:23:3d:26:e2:28:88:9c:06:e0:88:21:fa:c7:b2:9a:f8:81:30:6b:f9:15:41:f2:34:05:05:44:4c:ad:5a:b5")]
    [InlineData("5F233D26E228889C06E08821FAC7B29AF881306BF91541F2340505444CAD5AB5")]
    [InlineData("5f233d26e228889c06e08821fac7b29af881306bf91541f2340505444cad5ab5")]
    [InlineData("5f:23:3D:26:e2:28:88:9C:06:e0:88:21:fa:c7:B2:9a:f8:81:30:6b:f9:15:41:f2:34:05:05:44:4c:ad:5a:b5")]
    public void EveryFingerprintSpellingNamesOneCertificateUser(string spelling)
    {
        var id = UserId.Parse(spelling);

        Assert.Equal(UserIdKind.Certificate, id.Kind);
        Assert.Equal(CanonicalForm, id.Canonical);
        Assert.Equal(spelling, id.Original);
        Assert.Equal(UserId.Parse(ColonUpper), id);
        Assert.Equal(UserId.Parse(ColonUpper).GetHashCode(), id.GetHashCode());
    }

    [Fact]
    public void EntraObjectIdsCompareCaseInsensitivelyAndKeepTheCallersSpelling()
    {
        var lower = UserId.Parse("6696d1bc-6012-47da-8556-ab4c747999c9");
        var upper = UserId.Parse("6696D1BC-6012-47DA-8556-AB4C747999C9");

        Assert.Equal(UserIdKind.Other, upper.Kind);
        Assert.True(lower == upper);
        Assert.Equal("6696d1bc-6012-47da-8556-ab4c747999c9", upper.Canonical);
        Assert.Equal("6696D1BC-6012-47DA-8556-AB4C747999C9", upper.Original);
        Assert.NotEqual(lower, UserId.Parse("6696d1bc-6012-47da-8556-ab4c747999c8"));
    }

    [Theory]
    [InlineData("5F:23:3D:26:E2:28:88:9C:06:E0:88:21:FA:C7:B2:9A:F8:81:30:6B:F9:15:41:F2:34:05:05:44:4C:AD:5A:BG")]
    [InlineData("5F-23-3D-26-E2-28-88-9C-06-E0-88-21-FA-C7-B2-9A-F8-81-30-6B-F9-15-41-F2-34-05-05-44-4C-AD-5A-B5")]
    [InlineData("5f233d26e228889c06e08821fac7b29af881306bf91541f2340505444cad5ab")]
    public void NearMissFingerprintsAreOtherIdsNotCertificateUsers(string text)
    {
        var id = UserId.Parse(text);

        Assert.Equal(UserIdKind.Other, id.Kind);
        Assert.Equal(text.ToLowerInvariant(), id.Canonical);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("line\nfeed")]
    [InlineData("nul\0")]
    [InlineData("a/b")]
    [InlineData("nbsp\u00a0here")]
    public void MalformedIdsAreRejected(string text)
    {
        Assert.False(UserId.TryParse(text, out var id, out var error));
        Assert.Null(id);
        Assert.StartsWith("The user id ", error, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => UserId.Parse(text));
    }

    [Fact]
    public void IdsWithAnUnpairedSurrogateAreRejected()
    {
        // Built here, not in an attribute: attribute strings are stored as UTF-8, which cannot hold a lone surrogate.
        var text = "lone" + '\ud800' + "surrogate";

        Assert.False(UserId.TryParse(text, out _, out var error));
        Assert.Contains("unpaired surrogate", error, StringComparison.Ordinal);
        Assert.True(UserId.TryParse("pair\ud83d\ude00ok", out _, out _));
    }

    [Fact]
    public void IdsLongerThanTheLimitAreRejectedAndIdsAtTheLimitAccepted()
    {
        Assert.True(UserId.TryParse(new string('a', AccessLimits.MaxUserIdLengthChars), out _, out _));
        Assert.False(UserId.TryParse(new string('a', AccessLimits.MaxUserIdLengthChars + 1), out _, out var error));
        Assert.Contains("limit", error, StringComparison.Ordinal);
    }

    [Fact]
    public void NullIsRejectedByTryParse()
    {
        Assert.False(UserId.TryParse(null, out _, out var error));
        Assert.Equal("The user id is missing.", error);
    }

    [Fact]
    public void CertificateUserIdIsTheSha256OfTheDerCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=user", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

        var id = UserId.FromCertificate(certificate);

        // X509Certificate2's own thumbprint API is an independent computation of the same fingerprint.
        Assert.Equal(certificate.GetCertHashString(HashAlgorithmName.SHA256).ToLowerInvariant(), id.Canonical);
        Assert.Equal(UserIdKind.Certificate, id.Kind);
        var colonUpper = string.Join(':', certificate.GetCertHash(HashAlgorithmName.SHA256).Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(id, UserId.Parse(colonUpper));
    }

    [Fact]
    public void ToCanonicalDropsTheCallersSpellingButNotTheIdentity()
    {
        var id = UserId.Parse(ColonUpper);

        var canonical = id.ToCanonical();

        Assert.Equal(CanonicalForm, canonical.Original);
        Assert.Equal(id, canonical);
        Assert.Same(canonical, canonical.ToCanonical());
    }
}
