using Vellum.Client.Tests.Support;

namespace Vellum.Client.Tests;

/// <summary>The example in <c>docs/sdk.md</c> is the code of <see cref="DocsExample"/>, and it works against a real node.</summary>
public sealed class DocsExampleTests
{
    [Fact]
    public async Task TheDocumentedExampleRunsAgainstARealNode()
    {
        await using var node = await LedgerNode.StartAsync();

        var outcome = await DocsExample.RunAsync(node.Endpoint, node.Node.ServiceCertificatePem, node.Admin, CancellationToken.None);

        Assert.Matches(@"^hello, ledger at \d+\.\d+, 1 entries, receipt verified$", outcome);
    }

    [Fact]
    public void TheDocumentationShowsTheTestedExample()
    {
        var root = Repository.Root();
        var source = File.ReadAllLines(Path.Combine(root, "tests", "Vellum.Client.Tests", "DocsExample.cs"));
        var start = Array.FindIndex(source, line => line.Contains("docs/sdk.md: begin example", StringComparison.Ordinal));
        var end = Array.FindIndex(source, line => line.Contains("docs/sdk.md: end example", StringComparison.Ordinal));
        Assert.True(start >= 0 && end > start, "the example's markers are missing");

        // The page shows the method one level less indented than the class body holds it.
        var example = string.Join('\n', source[(start + 1)..end].Select(line => line.Length >= 4 ? line[4..] : line)).Trim();
        var page = File.ReadAllText(Path.Combine(root, "docs", "sdk.md")).Replace("\r\n", "\n", StringComparison.Ordinal);

        Assert.Contains(example, page, StringComparison.Ordinal);
    }
}
