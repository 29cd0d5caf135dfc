using Vellum.Client.Tests.Support;

namespace Vellum.Client.Tests;

/// <summary>A client pointed at a backup of a three-node cluster: writes are redirected to the primary, pinned and authenticated all the way.</summary>
public sealed class ClusterRedirectTests
{
    [Fact]
    public async Task WritesSentToABackupAreRedirectedToThePrimary()
    {
        await using var cluster = await ThreeNodes.StartAsync();
        var primary = await cluster.PrimaryAsync();
        var backup = cluster.Nodes.First(node => node != primary);
        var credential = LedgerCredential.FromCertificate(cluster.Admin);
        using var viaBackup = new LedgerClient(backup.BaseAddress, cluster.Identity, credential, LedgerNode.FastOptions);
        using var onPrimary = new LedgerClient(primary.BaseAddress, cluster.Identity, credential, LedgerNode.FastOptions);
        using var user = Users.NewCertificate("Redirected User");

        var written = await viaBackup.PostLedgerEntryAsync("through a backup", waitForCommit: true);
        var created = await viaBackup.CreateOrUpdateUserAsync(Users.IdOf(user), "Reader");

        Assert.True(written.Committed);
        Assert.Equal("through a backup", (await onPrimary.GetLedgerEntryAsync(written.TransactionId)).Contents);
        Assert.Equal(created, await onPrimary.GetUserAsync(Users.IdOf(user)));
        Assert.True(viaBackup.VerifyReceipt(await viaBackup.GetReceiptAsync(written.TransactionId)).IsValid);
    }
}
