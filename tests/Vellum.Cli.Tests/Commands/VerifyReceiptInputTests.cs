using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Vellum.Cli.Commands;
using Vellum.Core.Receipts;

namespace Vellum.Cli.Tests.Commands;

/// <summary>
/// <c>vellum verify-receipt</c> on input it cannot verify: missing or unreadable files, a wrong
/// service certificate file, a receipt not ready yet, malformed JSON and a wrong command line.
/// Each gets one clear line and a non-zero exit code, never a stack trace.
/// </summary>
public sealed class VerifyReceiptInputTests : IDisposable
{
    private readonly TempDirectory _files = new();
    private readonly TestLedger _ledger = new();

    public void Dispose()
    {
        _ledger.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task MissingReceiptFileIsReportedByName()
    {
        var missing = _files.Missing("no-such-receipt.json");

        var result = await RunAsync(missing, ServiceCertificate());

        AssertInputError(result, $"error: the receipt file \"{missing}\" does not exist");
    }

    [Fact]
    public async Task MissingServiceCertificateFileIsReportedByName()
    {
        var missing = _files.Missing("no-such-cert.pem");

        var result = await RunAsync(GoodReceipt(), missing);

        AssertInputError(result, $"error: the service certificate file \"{missing}\" does not exist");
    }

    [Fact]
    public async Task DirectoryGivenAsTheReceiptIsReported()
    {
        var result = await RunAsync(_files.Path, ServiceCertificate());

        AssertInputError(result, $"error: the receipt file \"{_files.Path}\" is a directory");
    }

    [Fact]
    public async Task ReceiptFileLargerThanTheBoundIsNotRead()
    {
        var path = _files.Missing("huge.json");
        using (var stream = File.Create(path))
        {
            stream.SetLength(VerifyReceiptCommand.MaxReceiptBytes + 1);
        }

        var result = await RunAsync(path, ServiceCertificate());

        AssertInputError(result, $"error: the receipt file \"{path}\" is {VerifyReceiptCommand.MaxReceiptBytes + 1} bytes, more than");
    }

    [Fact]
    public async Task ServiceCertificateFileThatIsNotPemIsReported()
    {
        var result = await RunAsync(GoodReceipt(), _files.Write("service.pem", "this is not a certificate\n"));

        AssertInputError(result, "error: the service certificate is not a PEM X.509 certificate");
    }

    [Fact]
    public async Task ServiceCertificateWithAnRsaKeyIsReported()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=RSA Service", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch.AddYears(100));

        var result = await RunAsync(GoodReceipt(), _files.Write("service.pem", certificate.ExportCertificatePem()));

        AssertInputError(result, "error: the service certificate's key is RSA, but ACL service certificates have EC keys");
    }

    [Fact]
    public async Task ServiceCertificateGivenAsTheIdentityEndpointsResponseIsUsed()
    {
        var identity = new JsonObject { ["ledgerId"] = "test", ["ledgerTlsCertificate"] = _ledger.Service.CertificatePem + "\0" };

        var result = await RunAsync(GoodReceipt(), _files.Write("identity.json", identity.ToJsonString()));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("valid", result.OutputLines[0]);
    }

    [Fact]
    public async Task JsonServiceCertificateFileWithoutTheCertificateIsReported()
    {
        var result = await RunAsync(GoodReceipt(), _files.Write("identity.json", """{"ledgerId":"test"}"""));

        AssertInputError(result, "error: the service certificate file is JSON without a \"ledgerTlsCertificate\" string");
    }

    [Theory]
    [InlineData("""{"state":"Loading","transactionId":"2.15"}""", "transaction 2.15")]
    [InlineData("""{"receipt":null,"state":"Loading","transactionId":""}""", "the transaction")]
    public async Task ResponseStillLoadingIsReportedAsHavingNoReceiptYet(string json, string which)
    {
        var result = await RunAsync(_files.Write("loading.json", json), ServiceCertificate());

        AssertInputError(result, $"error: the response holds no receipt yet (state Loading); ask the ledger again for the receipt of {which}");
    }

    [Fact]
    public async Task MalformedJsonIsReported()
    {
        var path = _files.Write("broken.json", """{"receipt": {"cert": """);

        var result = await RunAsync(path, ServiceCertificate());

        AssertInputError(result, $"error: the receipt file \"{path}\" does not hold a receipt: The receipt is not valid JSON");
    }

    [Fact]
    public async Task ReceiptMissingItsSignatureIsReportedWithTheFieldsPath()
    {
        var json = JsonNode.Parse(ReceiptJson.Serialize(_ledger.ReceiptForAnEntryAmongOthers()))!;
        json["receipt"]!.AsObject().Remove("signature");
        var path = _files.Write("unsigned.json", json.ToJsonString());

        var result = await RunAsync(path, ServiceCertificate());

        AssertInputError(result, $"error: the receipt file \"{path}\" does not hold a receipt: ");
        Assert.Contains("signature", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--receipt")]
    [InlineData("--service-cert")]
    public async Task MissingRequiredOptionIsAUsageError(string missing)
    {
        var args = new List<string> { "verify-receipt" };
        if (missing != "--receipt")
        {
            args.AddRange(["--receipt", GoodReceipt()]);
        }

        if (missing != "--service-cert")
        {
            args.AddRange(["--service-cert", ServiceCertificate()]);
        }

        var result = await CliResult.RunAsync([.. args]);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"Option '{missing}' is required.", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("valid", result.OutputLines);
    }

    private static void AssertInputError(CliResult result, string messageStart)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Output);
        Assert.StartsWith(messageStart, result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    private static Task<CliResult> RunAsync(string receiptPath, string serviceCertificatePath) =>
        CliResult.RunAsync("verify-receipt", "--receipt", receiptPath, "--service-cert", serviceCertificatePath);

    private string GoodReceipt() => _files.Write("receipt.json", ReceiptJson.Serialize(_ledger.ReceiptForAnEntryAmongOthers()));

    private string ServiceCertificate() => _files.Write("service.pem", _ledger.Service.CertificatePem);
}
