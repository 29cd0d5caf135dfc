using System.Security.Cryptography;
using Vellum.Cli.Tests.Support;
using Vellum.Core.Recovery;

namespace Vellum.Cli.Tests.Commands;

/// <summary>
/// <c>vellum member submit-share</c> with an encryption key that cannot be used: each is one line on
/// standard error and exit 1, before anything is submitted. A running ledger serves the member's
/// encrypted share as a recovering node does.
/// </summary>
public sealed class SubmitShareCommandTests(UserLedger ledger) : IClassFixture<UserLedger>
{
    [Fact]
    public async Task AnotherMembersEncryptionKeyFailsInOneLineSayingItCannotDecryptTheShare()
    {
        using var another = MemberDecryptionKey.Generate(MemberEncryptionKey.MinKeySizeBits);
        var keyPath = ledger.Files.Write("another_enc_key.pem", another.ToPem());

        var result = await SubmitShareAsync(keyPath);

        var line = AssertOneLineFailure(result);
        Assert.StartsWith($"error: {ledger.Target} sent this member's share, but {keyPath} cannot decrypt it: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingEncryptionKeyFileFailsWithExitOneNamingIt()
    {
        var missing = ledger.Files.Missing("absent_enc_key.pem");

        var result = await SubmitShareAsync(missing);

        var line = AssertOneLineFailure(result);
        Assert.Contains(missing, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEncryptionKeyThatIsNotRsaFailsWithExitOneNamingIt()
    {
        using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var keyPath = ledger.Files.Write("ec_enc_key.pem", ecdsa.ExportPkcs8PrivateKeyPem());

        var result = await SubmitShareAsync(keyPath);

        var line = AssertOneLineFailure(result);
        Assert.StartsWith($"error: the encryption key file \"{keyPath}\" cannot be used: ", line, StringComparison.Ordinal);
    }

    private static string AssertOneLineFailure(CliResult result)
    {
        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Equal(string.Empty, result.Output);
        return Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    private Task<CliResult> SubmitShareAsync(string encryptionKey)
    {
        var data = ledger.Node.DataDirectory;
        return CliResult.RunAsync(
            "member",
            "submit-share",
            "--target",
            ledger.Target,
            "--service-cert",
            ledger.ServiceCert,
            "--cert",
            Path.Combine(data, "member0_cert.pem"),
            "--key",
            Path.Combine(data, "member0_key.pem"),
            "--encryption-key",
            encryptionKey);
    }
}
