using Vellum.Cli.Tests.Support;

namespace Vellum.Cli.Tests.Commands;

/// <summary><c>vellum users ...</c> and <c>vellum roles ...</c> against a real node, and what the roles they set allow.</summary>
public sealed class UsersAndRolesCommandTests(UserLedger ledger) : IClassFixture<UserLedger>
{
    private const string ReadAction = "Microsoft.ConfidentialLedger/ledger/read";
    private const string ReceiptsAction = "Microsoft.ConfidentialLedger/ledger/receipts/read";

    [Fact]
    public async Task AUserIsSetByCertificateReadListedChangedByIdAndDeleted()
    {
        var (cert, _, userId) = ledger.NewUserFiles("round-trip");

        var set = UserLedger.Json(await ledger.RunAsAdminAsync("users", "set", "--user-cert", cert, "--role", "Reader", "--json"));
        var got = UserLedger.Json(await ledger.RunAsAdminAsync("users", "get", userId, "--json"));
        var listed = UserLedger.Json(await ledger.RunAsAdminAsync("users", "list", "--json"));
        var changed = UserLedger.Json(await ledger.RunAsAdminAsync("users", "set", userId, "--role", "Contributor", "--json"));
        var table = await ledger.RunAsAdminAsync("users", "list");
        var deleted = UserLedger.Json(await ledger.RunAsAdminAsync("users", "delete", userId, "--json"));
        var gone = await ledger.RunAsAdminAsync("users", "get", userId);

        Assert.Equal(userId, set.GetProperty("userId").GetString());
        Assert.Equal(["Reader"], set.GetProperty("assignedRoles").EnumerateArray().Select(role => role.GetString()));
        Assert.Equal(set.GetRawText(), got.GetRawText());
        Assert.Contains(listed.GetProperty("users").EnumerateArray(), user => user.GetProperty("userId").GetString() == userId);
        Assert.Equal(["Contributor"], changed.GetProperty("assignedRoles").EnumerateArray().Select(role => role.GetString()));
        Assert.Contains(table.OutputLines, line => line.Contains(userId, StringComparison.Ordinal) && line.Contains("Contributor", StringComparison.Ordinal));
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        Assert.True(gone.ExitCode == ExitCodes.Failure, gone.ToString());
        Assert.Contains("404 UserNotFound", gone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AReaderSetByTheCliMayReadButIsForbiddenToAppend()
    {
        var (cert, key, _) = ledger.NewUserFiles("reader");
        var id = UserLedger.Json(await ledger.RunAsAdminAsync("append", "for readers", "--wait", "--json")).GetProperty("transactionId").GetString()!;
        Assert.Equal(ExitCodes.Success, (await ledger.RunAsAdminAsync("users", "set", "--user-cert", cert, "--role", "Reader")).ExitCode);
        string[] asReader = ["--target", ledger.Target, "--service-cert", ledger.ServiceCert, "--cert", cert, "--key", key, "--profile-file", ledger.NoProfiles];

        var read = UserLedger.Json(await CliResult.RunAsync(["get", id, "--json", .. asReader]));
        var append = await CliResult.RunAsync(["append", "not allowed", .. asReader]);

        Assert.Equal("for readers", read.GetProperty("contents").GetString());
        Assert.True(append.ExitCode == ExitCodes.Failure, append.ToString());
        Assert.StartsWith($"error: {ledger.Target} answered 403 Forbidden: ", append.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, append.Output);
    }

    [Fact]
    public async Task ACustomRoleIsSetAssignedReplacedRefusedWhileInUseAndDeleted()
    {
        var (_, _, userId) = ledger.NewUserFiles("auditor");

        var defined = UserLedger.Json(await ledger.RunAsAdminAsync("roles", "set", "cli-auditor", "--action", ReadAction, "--json"));
        var assigned = UserLedger.Json(await ledger.RunAsAdminAsync("users", "set", userId, "--role", "Reader", "--role", "cli-auditor", "--json"));
        var replaced = UserLedger.Json(await ledger.RunAsAdminAsync("roles", "set", "cli-auditor", "--action", ReadAction, "--action", ReceiptsAction, "--json"));
        var got = UserLedger.Json(await ledger.RunAsAdminAsync("roles", "get", "cli-auditor", "--json"));
        var inUse = await ledger.RunAsAdminAsync("roles", "delete", "cli-auditor");
        await ledger.RunAsAdminAsync("users", "delete", userId);
        var deleted = UserLedger.Json(await ledger.RunAsAdminAsync("roles", "delete", "cli-auditor", "--json"));
        var listed = UserLedger.Json(await ledger.RunAsAdminAsync("roles", "list", "--json"));
        var table = await ledger.RunAsAdminAsync("roles", "list");

        Assert.Equal("cli-auditor", defined.GetProperty("roleName").GetString());
        Assert.Equal([ReadAction], defined.GetProperty("roleActions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(["Reader", "cli-auditor"], assigned.GetProperty("assignedRoles").EnumerateArray().Select(role => role.GetString()));
        Assert.Equal([ReadAction, ReceiptsAction], replaced.GetProperty("roleActions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(replaced.GetRawText(), got.GetRawText());
        Assert.True(inUse.ExitCode == ExitCodes.Failure, inUse.ToString());
        Assert.Contains("409 RoleInUse", inUse.Error, StringComparison.Ordinal);
        Assert.True(deleted.GetProperty("deleted").GetBoolean());
        var names = listed.GetProperty("roles").EnumerateArray().Select(role => role.GetProperty("roleName").GetString()).ToList();
        Assert.DoesNotContain("cli-auditor", names);
        Assert.Contains("Administrator", names);
        Assert.True(table.ExitCode == ExitCodes.Success, table.ToString());
        Assert.Contains(table.OutputLines, line => line.Contains(" Reader ", StringComparison.Ordinal));
        Assert.Contains(ReadAction, table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABuiltInRoleCannotBeRedefined()
    {
        var result = await ledger.RunAsAdminAsync("roles", "set", "Reader", "--action", "Microsoft.ConfidentialLedger/ledger/append");

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.StartsWith($"error: {ledger.Target} answered 4", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("get")]
    [InlineData("delete")]
    public async Task AUserMustBeNamedByIdOrCertificateNotBothNorNeither(string command)
    {
        var (cert, _, userId) = ledger.NewUserFiles($"named-{command}");

        var neither = await ledger.RunAsAdminAsync("users", command);
        var both = await ledger.RunAsAdminAsync("users", command, userId, "--user-cert", cert);

        Assert.True(neither.ExitCode == ExitCodes.Usage, neither.ToString());
        Assert.True(both.ExitCode == ExitCodes.Usage, both.ToString());
        Assert.Equal("error: name the user by its id or by --user-cert, one of the two", both.Error.Trim());
    }
}
