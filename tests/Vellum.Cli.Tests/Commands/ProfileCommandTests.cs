using System.Text.Json;
using Vellum.Cli.Tests.Support;

namespace Vellum.Cli.Tests.Commands;

/// <summary><c>vellum profile ...</c> and <c>--profile</c>: saved connection settings used by the ledger commands, with flags winning.</summary>
public sealed class ProfileCommandTests(UserLedger ledger) : IClassFixture<UserLedger>, IDisposable
{
    private readonly TempDirectory _home = new();

    private string ProfileFile => Path.Combine(_home.Path, "vellum", "profiles.json");

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task ADefaultProfileConnectsWithoutFlagsAndIsListedAndRemoved()
    {
        var added = await AddAsync("local", ledger.Target, "--default");
        var appended = UserLedger.Json(await CliResult.RunAsync("append", "through a profile", "--wait", "--json", "--profile-file", ProfileFile));
        var listed = UserLedger.Json(await CliResult.RunAsync("profile", "list", "--json", "--profile-file", ProfileFile));
        var removed = await CliResult.RunAsync("profile", "remove", "local", "--profile-file", ProfileFile);
        var afterRemoval = await CliResult.RunAsync("list", "--profile-file", ProfileFile);

        Assert.True(added.ExitCode == ExitCodes.Success, added.ToString());
        Assert.True(appended.GetProperty("committed").GetBoolean());
        Assert.Equal("local", listed.GetProperty("default").GetString());
        var profile = Assert.Single(listed.GetProperty("profiles").EnumerateArray());
        Assert.Equal(("local", ledger.Target, ledger.AdminCert), (profile.GetProperty("name").GetString(), profile.GetProperty("target").GetString(), profile.GetProperty("cert").GetString()));
        Assert.True(removed.ExitCode == ExitCodes.Success, removed.ToString());
        Assert.True(afterRemoval.ExitCode == ExitCodes.Usage, afterRemoval.ToString());
        Assert.Contains("no --target given", afterRemoval.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FlagsOverrideTheNamedProfile()
    {
        Assert.Equal(ExitCodes.Success, (await AddAsync("stale", "127.0.0.1:1")).ExitCode);

        var stale = await CliResult.RunAsync("list", "--profile", "stale", "--profile-file", ProfileFile);
        var overridden = await CliResult.RunAsync("list", "--profile", "stale", "--target", ledger.Target, "--json", "--profile-file", ProfileFile);

        Assert.True(stale.ExitCode == ExitCodes.Failure, stale.ToString());
        Assert.StartsWith("error: no answer from 127.0.0.1:1: ConnectionFailed", stale.Error, StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Array, UserLedger.Json(overridden).GetProperty("entries").ValueKind);
    }

    [Fact]
    public async Task AHandWrittenProfileNamesFilesRelativeToItsFolder()
    {
        var folder = Path.Combine(_home.Path, "hand");
        Directory.CreateDirectory(folder);
        File.Copy(ledger.ServiceCert, Path.Combine(folder, "service_cert.pem"));
        File.Copy(ledger.AdminCert, Path.Combine(folder, "admin_cert.pem"));
        File.Copy(ledger.AdminKey, Path.Combine(folder, "admin_key.pem"));
        var file = Path.Combine(folder, "profiles.json");
        await File.WriteAllTextAsync(file, $$"""
            {
              "profiles": {
                "dev": { "target": "{{ledger.Target}}", "serviceCert": "service_cert.pem", "cert": "admin_cert.pem", "key": "admin_key.pem" }
              }
            }
            """);

        var status = await CliResult.RunAsync("roles", "list", "--json", "--profile", "dev", "--profile-file", file);

        Assert.Contains(UserLedger.Json(status).GetProperty("roles").EnumerateArray(), role => role.GetProperty("roleName").GetString() == "Reader");
    }

    [Fact]
    public async Task AnUnknownProfileIsAUsageErrorAndAMalformedFileAFailure()
    {
        Assert.Equal(ExitCodes.Success, (await AddAsync("known", ledger.Target)).ExitCode);
        var malformed = _home.Write("malformed.json", """{"profiles":{"dev":{"target":"127.0.0.1:1","serviceCrt":"typo.pem"}}}""");

        var unknown = await CliResult.RunAsync("list", "--profile", "unknown", "--profile-file", ProfileFile);
        var broken = await CliResult.RunAsync("list", "--profile", "dev", "--profile-file", malformed);
        var removeUnknown = await CliResult.RunAsync("profile", "remove", "unknown", "--profile-file", ProfileFile);
        var badName = await CliResult.RunAsync("profile", "add", "no spaces", "--target", ledger.Target, "--service-cert", ledger.ServiceCert, "--profile-file", ProfileFile);

        Assert.True(unknown.ExitCode == ExitCodes.Usage, unknown.ToString());
        Assert.Equal($"error: no profile \"unknown\" in {ProfileFile}", unknown.Error.Trim());
        Assert.True(broken.ExitCode == ExitCodes.Failure, broken.ToString());
        Assert.Contains("unknown setting \"serviceCrt\"", broken.Error, StringComparison.Ordinal);
        Assert.True(removeUnknown.ExitCode == ExitCodes.Failure, removeUnknown.ToString());
        Assert.True(badName.ExitCode == ExitCodes.Usage, badName.ToString());
    }

    [Fact]
    public async Task AProfileNamingAFileThatDoesNotExistIsNotSaved()
    {
        var result = await CliResult.RunAsync("profile", "add", "typo", "--target", ledger.Target, "--service-cert", _home.Missing("nowhere.pem"), "--profile-file", ProfileFile);

        Assert.True(result.ExitCode == ExitCodes.Failure, result.ToString());
        Assert.False(File.Exists(ProfileFile));
    }

    private Task<CliResult> AddAsync(string name, string target, params string[] more) => CliResult.RunAsync(
        ["profile", "add", name, "--target", target, "--service-cert", ledger.ServiceCert, "--cert", ledger.AdminCert, "--key", ledger.AdminKey, "--profile-file", ProfileFile, .. more]);
}
