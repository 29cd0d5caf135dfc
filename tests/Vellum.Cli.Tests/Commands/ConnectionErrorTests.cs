using Vellum.Cli.Tests.Support;
using Vellum.Client.Tests.Support;

namespace Vellum.Cli.Tests.Commands;

/// <summary>How the user commands fail: a wrong command line exits 2, a refused or failed connection or an invalid receipt exits 1, each with one line.</summary>
public sealed class ConnectionErrorTests(UserLedger ledger) : IClassFixture<UserLedger>
{
    [Theory]
    [InlineData("get", "1.x")]
    [InlineData("status", "seven")]
    [InlineData("receipt", "")]
    [InlineData("list", "--from", "x.1")]
    [InlineData("list", "--limit", "-1")]
    [InlineData("list", "--limit", "abc")]
    [InlineData("list", "--limit", "99999999999")]
    [InlineData("append", "x", "--tag", "a,b")]
    [InlineData("append")]
    [InlineData("users", "set", "someone")]
    [InlineData("roles", "set", "some-role")]
    public async Task AMalformedOrIncompleteCommandLineIsAUsageErrorOfOneLineWithNothingOnStandardOutput(params string[] args)
    {
        var result = await ledger.RunAsAdminAsync(args);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.True(result.Output.Length == 0, result.ToString());
        Assert.StartsWith("error: ", Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersSetWithoutARoleSaysTheRoleIsRequiredInOneLine()
    {
        var result = await ledger.RunAsAdminAsync("users", "set", "someone");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Equal("error: Option '--role' is required.", result.Error.Trim());
        Assert.Equal(string.Empty, result.Output);
    }

    [Fact]
    public async Task ContentsGivenTwiceAreAUsageError()
    {
        var result = await ledger.RunAsAdminAsync("append", "inline", "--file", ledger.Files.Write("twice.txt", "from a file"));

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Equal("error: give the contents or --file, not both", result.Error.Trim());
    }

    [Theory]
    [InlineData("--target", "no target given")]
    [InlineData("--service-cert", "no --service-cert given")]
    [InlineData("--cert", "--cert and --key go together")]
    public async Task AMissingConnectionSettingIsAUsageErrorNamingIt(string left, string message)
    {
        var args = ledger.AsAdmin.ToList();
        var at = args.IndexOf(left);
        args.RemoveRange(at, 2);

        var result = await CliResult.RunAsync(["list", .. args]);

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains(message.Replace("no target", "no --target", StringComparison.Ordinal), result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public async Task ACertificateAndATokenTogetherAreAUsageError()
    {
        var result = await ledger.RunAsAdminAsync("list", "--token-file", ledger.Files.Write("token.txt", "abc"));

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("not both", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANodeOfAnotherLedgerIsRefusedByThePin()
    {
        using var other = TestLedger.CreateService("Another Ledger");
        var otherPem = ledger.Files.Write("other_service.pem", other.CertificatePem);

        var result = await CliResult.RunAsync("list", "--target", ledger.Target, "--service-cert", otherPem, "--cert", ledger.AdminCert, "--key", ledger.AdminKey, "--profile-file", ledger.NoProfiles);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.StartsWith($"error: no answer from {ledger.Target}: SecureConnectionFailed: ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreadableServiceCertificateIsAFailureNamingTheFile()
    {
        var missing = ledger.Files.Missing("absent.pem");

        var result = await CliResult.RunAsync("list", "--target", ledger.Target, "--service-cert", missing, "--cert", ledger.AdminCert, "--key", ledger.AdminKey, "--profile-file", ledger.NoProfiles);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.Equal($"error: the service certificate file \"{missing}\" does not exist", result.Error.Trim());
    }

    [Fact]
    public async Task ATokenFromTheTokenFileIsSentAndAnUnknownOneIsRefused()
    {
        var token = ledger.Files.Write("bearer.txt", "not-a-token-this-ledger-accepts\n");

        var result = await CliResult.RunAsync("list", "--target", $"https://{ledger.Target}", "--service-cert", ledger.ServiceCert, "--token-file", token, "--profile-file", ledger.NoProfiles);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.StartsWith($"error: {ledger.Target} answered 401 ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReceiptNotSignedByThePinnedLedgerFailsVerifyWithExitOne()
    {
        // A real receipt of the real node, served by a stand-in whose own identity is the one pinned.
        var id = UserLedger.Json(await ledger.RunAsAdminAsync("append", "served elsewhere", "--wait", "--json")).GetProperty("transactionId").GetString()!;
        var saved = ledger.Files.Missing("real-receipt.json");
        Assert.Equal(ExitCodes.Success, (await ledger.RunAsAdminAsync("receipt", id, "--out", saved)).ExitCode);
        var receipt = await File.ReadAllTextAsync(saved);
        await using var stub = await StubLedger.StartAsync((context, _) => StubLedger.AnswerAsync(context, 200, receipt));
        var stubPem = ledger.Files.Write("stub_service.pem", stub.Identity.ServiceCertificatePem);
        string[] toStub = ["--target", stub.Endpoint.ToString(), "--service-cert", stubPem, "--cert", ledger.AdminCert, "--key", ledger.AdminKey, "--profile-file", ledger.NoProfiles];

        var verified = await CliResult.RunAsync(["receipt", id, "--verify", "--json", .. toStub]);
        var unverified = await CliResult.RunAsync(["receipt", id, .. toStub]);

        Assert.True(verified.ExitCode == ExitCodes.Failure, verified.ToString());
        Assert.False(UserLedger.Json(verified with { ExitCode = ExitCodes.Success }).GetProperty("verified").GetBoolean());
        Assert.StartsWith($"error: the receipt of {id} is invalid", verified.Error, StringComparison.Ordinal);
        Assert.True(unverified.ExitCode == ExitCodes.Success, unverified.ToString());
    }
}
