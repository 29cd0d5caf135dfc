using Vellum.Cli.Commands;

namespace Vellum.Cli.Tests;

/// <summary>The root command: its name, its help, and usage errors that no command handles.</summary>
public sealed class ProgramTests
{
    [Fact]
    public void CliAssemblyIsNamedVellum() => Assert.Equal("vellum", typeof(Program).Assembly.GetName().Name);

    [Fact]
    public void RootCommandHasADescriptionAndTheVerifyReceiptCommand()
    {
        var root = Program.CreateRootCommand();

        Assert.False(string.IsNullOrWhiteSpace(root.Description));
        Assert.Contains(root.Subcommands, c => c.Name == VerifyReceiptCommand.Name);
    }

    [Fact]
    public async Task RootHelpListsTheCommandsAndTheExitCodes()
    {
        var result = await CliResult.RunAsync("--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(VerifyReceiptCommand.Name, result.Output, StringComparison.Ordinal);
        Assert.Contains(ExitCodes.HelpText, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyReceiptHelpDocumentsItsOptionsAndTheExitCodes()
    {
        var result = await CliResult.RunAsync(VerifyReceiptCommand.Name, "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("--receipt <FILE>", result.Output, StringComparison.Ordinal);
        Assert.Contains("--service-cert <PEM>", result.Output, StringComparison.Ordinal);
        Assert.Contains(ExitCodes.HelpText, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MemberProposeHelpNamesEveryActionTheNodeTakes()
    {
        var result = await CliResult.RunAsync("member", "propose", "--help");

        Assert.True(result.ExitCode == 0, result.ToString());
        var help = string.Join(' ', result.Output.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        foreach (var action in Vellum.Node.Governance.Voting.GovernanceActions.Names)
        {
            Assert.Contains(action, help, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NoCommandIsAUsageError()
    {
        var result = await CliResult.RunAsync();

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("Required command was not provided.", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommandGroupGivenNoCommandShowsItsHelpAsAUsageError()
    {
        var result = await CliResult.RunAsync("member");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("Required command was not provided.", result.Error, StringComparison.Ordinal);
        Assert.Contains("submit-share", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownCommandIsAUsageError()
    {
        var result = await CliResult.RunAsync("verify-everything");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("'verify-everything'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownOptionIsAUsageError()
    {
        var result = await CliResult.RunAsync(VerifyReceiptCommand.Name, "--receipt", "r.json", "--service-cert", "s.pem", "--lenient");

        Assert.True(result.ExitCode == ExitCodes.Usage, result.ToString());
        Assert.Contains("'--lenient'", result.Error, StringComparison.Ordinal);
    }
}
