using System.Net;
using System.Security.Cryptography.X509Certificates;
using Vellum.Core.Encryption;
using Vellum.Node.Tests.Cluster;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Governance;

/// <summary>What the rekey tests do through the API and look at underneath: propose and accept a rekey, and read which secret version sealed an entry.</summary>
internal static class Rekeying
{
    public const string Proposal = "{\"actions\":[{\"name\":\"trigger_ledger_rekey\",\"args\":{}}]}";

    /// <summary>Proposes and accepts a rekey as the sole member; returns once the primary has applied the new version.</summary>
    public static async Task RekeyAsync(HttpClient memberClient, VellumNode primary, int expectedVersions)
    {
        using var proposed = await memberClient.PostAsync("/gov/proposals", TestNode.Json(Proposal));
        Assert.Equal(HttpStatusCode.OK, proposed.StatusCode);
        var id = (await TestNode.ReadJsonAsync(proposed)).GetProperty("proposalId").GetString();
        using var ballot = await memberClient.PostAsync($"/gov/proposals/{id}/ballots", TestNode.Json("{\"ballot\":true}"));
        Assert.Equal("Accepted", (await TestNode.ReadJsonAsync(ballot)).GetProperty("state").GetString());
        await LocalCluster.WaitUntilAsync(() => primary.Node.Keyring!.Count == expectedVersions, $"ledger secret version {expectedVersions - 1}");
    }

    /// <summary>
    /// The secret version that sealed the private entry at <paramref name="seqno"/>: the one
    /// version whose cipher alone opens it (a cipher refuses an entry naming another version).
    /// </summary>
    public static int SealedVersion(VellumNode node, long seqno)
    {
        var entry = node.Node.Ledger.ReadEntry(seqno);
        var keyring = node.Node.Keyring!;
        var opening = new List<int>();
        for (var version = 0; version < keyring.Count; version++)
        {
            using var cipher = new EntryCipher(keyring.SecretOf(version));
            try
            {
                cipher.Open(entry);
                opening.Add(version);
            }
            catch (EntryDecryptionException)
            {
                // Another version's entry.
            }
        }

        return Assert.Single(opening);
    }

    /// <summary>The seqno of a transaction id such as <c>2.17</c>.</summary>
    public static long Seqno(string transactionId) => long.Parse(transactionId.AsSpan(transactionId.IndexOf('.', StringComparison.Ordinal) + 1), System.Globalization.CultureInfo.InvariantCulture);
}
