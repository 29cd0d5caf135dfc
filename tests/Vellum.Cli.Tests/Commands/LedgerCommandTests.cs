using System.Diagnostics;
using System.Text.Json;
using Vellum.Cli.Tests.Support;

namespace Vellum.Cli.Tests.Commands;

/// <summary><c>vellum append</c>, <c>get</c>, <c>list</c>, <c>status</c> and <c>receipt</c> against a real node in this process.</summary>
public sealed class LedgerCommandTests(UserLedger ledger) : IClassFixture<UserLedger>
{
    [Fact]
    public async Task AnAppendedEntryIsReadBackCommittedAndListedAsJson()
    {
        var appended = UserLedger.Json(await ledger.RunAsAdminAsync("append", "pay 100 to Alice", "--collection", "payments", "--tag", "eur", "--tag", "q3", "--wait", "--json"));
        var id = appended.GetProperty("transactionId").GetString()!;

        var entry = UserLedger.Json(await ledger.RunAsAdminAsync("get", id, "--collection", "payments", "--json"));
        var status = UserLedger.Json(await ledger.RunAsAdminAsync("status", id, "--json"));
        var listed = UserLedger.Json(await ledger.RunAsAdminAsync("list", "--collection", "payments", "--json"));

        Assert.Equal("payments", appended.GetProperty("collectionId").GetString());
        Assert.True(appended.GetProperty("committed").GetBoolean());
        Assert.Equal((id, "payments", "pay 100 to Alice"), (entry.GetProperty("transactionId").GetString(), entry.GetProperty("collectionId").GetString(), entry.GetProperty("contents").GetString()));
        Assert.Equal(["eur", "q3"], entry.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()));
        Assert.Equal((id, "Committed"), (status.GetProperty("transactionId").GetString(), status.GetProperty("state").GetString()));
        Assert.Equal([id], listed.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("transactionId").GetString()));
        Assert.False(listed.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task GetWithoutACollectionReadsTheEntryWhateverItsCollectionAndWithAnotherFindsNothing()
    {
        var appended = UserLedger.Json(await ledger.RunAsAdminAsync("append", "invoice 7", "--collection", "invoices", "--wait", "--json"));
        var id = appended.GetProperty("transactionId").GetString()!;

        var anyCollection = UserLedger.Json(await ledger.RunAsAdminAsync("get", id, "--json"));
        var defaultCollection = await ledger.RunAsAdminAsync("get", id, "--collection", "subledger:0");

        Assert.Equal(("invoices", "invoice 7"), (anyCollection.GetProperty("collectionId").GetString(), anyCollection.GetProperty("contents").GetString()));
        Assert.True(defaultCollection.ExitCode == ExitCodes.Failure, defaultCollection.ToString());
        Assert.StartsWith($"error: {ledger.Target} answered 404 InvalidTransactionId: ", defaultCollection.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListFollowsEveryPageInOrderAndStopsAtTheLimitSayingSo()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var appended = UserLedger.Json(await ledger.RunAsAdminAsync("append", $"paged {i}", "--collection", "paged", "--json"));
            ids.Add(appended.GetProperty("transactionId").GetString()!);
        }

        await ledger.RunAsAdminAsync("status", ids[^1], "--wait");
        var all = UserLedger.Json(await ledger.RunAsAdminAsync("list", "--collection", "paged", "--limit", "0", "--json"));
        var limited = UserLedger.Json(await ledger.RunAsAdminAsync("list", "--collection", "paged", "--limit", "3", "--json"));
        var table = await ledger.RunAsAdminAsync("list", "--collection", "paged", "--limit", "3");

        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"paged {i}"), Contents(all));
        Assert.Equal(ids, all.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("transactionId").GetString()));
        Assert.False(all.GetProperty("truncated").GetBoolean());
        Assert.Equal(["paged 0", "paged 1", "paged 2"], Contents(limited));
        Assert.True(limited.GetProperty("truncated").GetBoolean());
        Assert.True(table.ExitCode == ExitCodes.Success, table.ToString());
        Assert.Contains(table.OutputLines, line => line.Contains(ids[2], StringComparison.Ordinal) && line.Contains("paged 2", StringComparison.Ordinal));
        Assert.DoesNotContain("paged 3", table.Output, StringComparison.Ordinal);
        Assert.Contains("only the first 3 entries", table.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppendTakesItsContentsFromAFile()
    {
        var file = ledger.Files.Write("contents.txt", "from a file\nwith two lines");

        var appended = UserLedger.Json(await ledger.RunAsAdminAsync("append", "--file", file, "--wait", "--json"));
        var entry = UserLedger.Json(await ledger.RunAsAdminAsync("get", appended.GetProperty("transactionId").GetString()!, "--json"));

        Assert.Equal("from a file\nwith two lines", entry.GetProperty("contents").GetString());
    }

    [Fact]
    public async Task AppendTakesItsContentsFromStandardInputGivenADash()
    {
        var start = new ProcessStartInfo(DotnetHost.Path) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])[DotnetHost.Program, "append", "-", "--wait", "--json", .. ledger.AsAdmin])
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync("piped into vellum");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var appended = UserLedger.Json(new CliResult(process.ExitCode, await output, await error));
        var entry = UserLedger.Json(await ledger.RunAsAdminAsync("get", appended.GetProperty("transactionId").GetString()!, "--json"));

        Assert.Equal("piped into vellum", entry.GetProperty("contents").GetString());
    }

    [Fact]
    public async Task AReceiptIsVerifiedAgainstThePinnedIdentityAndSavedExactlyAsServed()
    {
        var id = UserLedger.Json(await ledger.RunAsAdminAsync("append", "receipted", "--wait", "--json")).GetProperty("transactionId").GetString()!;
        var saved = ledger.Files.Missing($"receipt-{id}.json");

        var json = UserLedger.Json(await ledger.RunAsAdminAsync("receipt", id, "--verify", "--out", saved, "--json"));
        var readable = await ledger.RunAsAdminAsync("receipt", id, "--verify");
        var offline = await CliResult.RunAsync("verify-receipt", "--receipt", saved, "--service-cert", ledger.ServiceCert);

        Assert.Equal(id, json.GetProperty("transactionId").GetString());
        Assert.True(json.GetProperty("verified").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("reason").ValueKind);
        Assert.Equal("receipted", json.GetProperty("receipt").GetProperty("applicationClaims")[0].GetProperty("ledgerEntry").GetProperty("contents").GetString());
        Assert.Equal(json.GetProperty("receipt").GetRawText(), await File.ReadAllTextAsync(saved));
        Assert.True(readable.ExitCode == ExitCodes.Success, readable.ToString());
        Assert.Contains(readable.OutputLines, line => line.StartsWith("Verified", StringComparison.Ordinal) && line.Contains("valid, against the service certificate", StringComparison.Ordinal));
        Assert.True(offline.ExitCode == ExitCodes.Success, offline.ToString());
    }

    [Fact]
    public async Task WithoutVerifyAReceiptIsFetchedButNotJudged()
    {
        var id = UserLedger.Json(await ledger.RunAsAdminAsync("append", "unjudged", "--wait", "--json")).GetProperty("transactionId").GetString()!;

        var json = UserLedger.Json(await ledger.RunAsAdminAsync("receipt", id, "--json"));

        Assert.Equal(JsonValueKind.Null, json.GetProperty("verified").ValueKind);
        Assert.Equal("Ready", json.GetProperty("receipt").GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("get")]
    [InlineData("receipt")]
    [InlineData("status")]
    public async Task AnUnknownTransactionIsAFailureNamingTheLedgersError(string command)
    {
        var result = await ledger.RunAsAdminAsync(command, "9.999999");

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.StartsWith($"error: {ledger.Target} answered 404 InvalidTransactionId: ", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static IEnumerable<string?> Contents(JsonElement listing) =>
        listing.GetProperty("entries").EnumerateArray().Select(entry => entry.GetProperty("contents").GetString());
}
