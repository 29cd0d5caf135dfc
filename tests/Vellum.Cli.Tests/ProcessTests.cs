using System.Diagnostics;
using System.Text.Json.Nodes;

using Vellum.Cli.Tests.Support;

namespace Vellum.Cli.Tests;

/// <summary>
/// The built <c>vellum</c> program run as a separate process, as a user runs it: the exit code
/// and the two streams are what the operating system sees, not what an in-process call returns.
/// </summary>
public sealed class ProcessTests : IDisposable
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromMinutes(1);
    private readonly TempDirectory _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task BuiltProgramVerifiesTheRealAclReceiptAndExitsZero()
    {
        var result = await RunProcessAsync("verify-receipt", "--receipt", AclVectorFiles.ReceiptPath, "--service-cert", AclVectorFiles.ServiceCertificatePath);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("", result.Error);
        Assert.Equal("valid", result.OutputLines[0]);
        Assert.StartsWith("transaction 2.35, node 708c2e71b2533e5eb38e05cc344390d133c8fb336cb80481ab4e5e902e6131a5, root ", result.OutputLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuiltProgramReportsATamperedReceiptOnStandardErrorAndExitsOne()
    {
        var json = JsonNode.Parse(File.ReadAllText(AclVectorFiles.ReceiptPath))!;
        json["receipt"]!["leaf_components"]!["write_set_digest"] = new string('0', 64);
        var receipt = _files.Write("tampered.json", json.ToJsonString());

        var result = await RunProcessAsync("verify-receipt", "--receipt", receipt, "--service-cert", AclVectorFiles.ServiceCertificatePath);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("", result.Output);
        Assert.StartsWith("invalid: the signature does not verify over the root", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BuiltProgramExitsTwoOnAMissingOption()
    {
        var result = await RunProcessAsync("verify-receipt", "--receipt", AclVectorFiles.ReceiptPath);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("Option '--service-cert' is required.", result.Error, StringComparison.Ordinal);
    }

    private static async Task<CliResult> RunProcessAsync(params string[] args)
    {
        var program = DotnetHost.Program;
        var start = new ProcessStartInfo(DotnetHost.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(program);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ProcessTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await output, await error);
    }
}
