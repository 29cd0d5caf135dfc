using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vellum.Node.Backup;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Backup;

/// <summary>A backup changed after it was taken fails verification, saying what changed.</summary>
public sealed class BackupVerifyTests : IDisposable
{
    private readonly TemporaryDirectory _files = new();

    public void Dispose() => _files.Dispose();

    private string BackupDirectory => Path.Combine(_files.Path, "backup");

    private string FirstChunk => Directory.EnumerateFiles(Path.Combine(BackupDirectory, LedgerBackup.LedgerFolder)).Order(StringComparer.Ordinal).First();

    [Fact]
    public async Task ChunkWithAChangedByteFailsWithItsHash()
    {
        await TakeBackupAsync();
        var bytes = await File.ReadAllBytesAsync(FirstChunk);
        bytes[bytes.Length / 2] ^= 1;
        await File.WriteAllBytesAsync(FirstChunk, bytes);

        var result = await BackupVerifier.VerifyAsync(BackupDirectory);

        Assert.False(result.IsValid);
        Assert.Contains($"ledger/{Path.GetFileName(FirstChunk)} has", result.Reason, StringComparison.Ordinal);
        Assert.Contains("SHA-256", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingChunkFailsNamingIt()
    {
        await TakeBackupAsync();
        var name = Path.GetFileName(FirstChunk);
        File.Delete(FirstChunk);

        var result = await BackupVerifier.VerifyAsync(BackupDirectory);

        Assert.Equal($"ledger/{name} is missing", result.Reason);
    }

    [Fact]
    public async Task ExtraFileFailsNamingIt()
    {
        await TakeBackupAsync();
        await File.WriteAllTextAsync(Path.Combine(BackupDirectory, "ledger", "notes.txt"), "not part of the backup");

        var result = await BackupVerifier.VerifyAsync(BackupDirectory);

        Assert.Equal("ledger/notes.txt is not in the manifest", result.Reason);
    }

    [Fact]
    public async Task AManifestThatIsNotJsonFailsSayingItCannotBeRead()
    {
        await TakeBackupAsync();
        await File.WriteAllTextAsync(Path.Combine(BackupDirectory, BackupManifest.FileName), "{ not json");

        var result = await BackupVerifier.VerifyAsync(BackupDirectory);

        Assert.StartsWith($"{BackupManifest.FileName} cannot be read: it is not a valid manifest: ", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChunkDroppedFromBothTheFolderAndTheManifestFailsAsAGap()
    {
        await TakeBackupAsync();
        var name = Path.GetFileName(FirstChunk);
        var manifestPath = Path.Combine(BackupDirectory, BackupManifest.FileName);
        var manifest = BackupManifest.Parse(await File.ReadAllBytesAsync(manifestPath));
        File.Delete(FirstChunk);
        await File.WriteAllBytesAsync(manifestPath, (manifest with { Files = [.. manifest.Files.Where(file => file.Path != $"ledger/{name}")] }).ToJson());

        var result = await BackupVerifier.VerifyAsync(BackupDirectory);

        Assert.False(result.IsValid);
        Assert.Contains("the ledger does not verify", result.Reason, StringComparison.Ordinal);
        Assert.Contains("missing before this chunk", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServiceCertificateTheChunksSignersDoNotChainToFailsAsRecoverWouldRefuseIt()
    {
        await TakeBackupAsync();
        var certificatePath = Path.Combine(BackupDirectory, "service_cert.pem");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var other = new CertificateRequest("CN=another service", key, HashAlgorithmName.SHA384).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var pem = System.Text.Encoding.UTF8.GetBytes(other.ExportCertificatePem());
        await File.WriteAllBytesAsync(certificatePath, pem);
        var manifestPath = Path.Combine(BackupDirectory, BackupManifest.FileName);
        var manifest = BackupManifest.Parse(await File.ReadAllBytesAsync(manifestPath));
        var files = manifest.Files.Select(file => file.Path == "service_cert.pem" ? file with { Bytes = pem.Length, Sha256 = Convert.ToHexStringLower(SHA256.HashData(pem)) } : file);
        await File.WriteAllBytesAsync(manifestPath, (manifest with { Files = [.. files] }).ToJson());

        var result = await BackupVerifier.VerifyAsync(BackupDirectory);

        Assert.False(result.IsValid);
        Assert.Contains("does not verify against the backup's service_cert.pem", result.Reason, StringComparison.Ordinal);
        Assert.Contains("does not chain to the trusted service certificate", result.Reason, StringComparison.Ordinal);
    }

    private async Task TakeBackupAsync()
    {
        await using var node = await TestNode.StartAsync(options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = options.Listen, MaxChunkBytes = 4096 });
        var client = node.AdminClient();
        for (var i = 0; i < 12; i++)
        {
            await TestNode.AppendAsync(client, new string('x', 1000), waitForCommit: i == 11);
        }

        var result = await LedgerBackup.RunAsync(node.DataDirectory, BackupDirectory, node.Node.Committed.Seqno);
        Assert.True(result.Manifest.Files.Count >= 4, "the backup holds at least two chunks");
        Assert.True((await BackupVerifier.VerifyAsync(BackupDirectory)).IsValid);
    }
}
