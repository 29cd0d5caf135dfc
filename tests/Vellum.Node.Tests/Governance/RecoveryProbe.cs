using System.Net;
using System.Text.Json;
using Vellum.Core.Recovery;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Governance;

/// <summary>
/// What a member does offline with the recovery endpoints: fetch the deal and its own encrypted
/// share, decrypt the share with its private key, and combine shares into the ledger secret.
/// </summary>
internal static class RecoveryProbe
{
    public static async Task<JsonElement> DealAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/gov/recovery");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await TestNode.ReadJsonAsync(response);
    }

    /// <summary>Waits until the latest deal satisfies <paramref name="condition"/>, polling, failing after a generous deadline.</summary>
    public static async Task<JsonElement> WaitForDealAsync(HttpClient client, Func<JsonElement, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            using var response = await client.GetAsync("/gov/recovery");
            if (response.StatusCode == HttpStatusCode.OK && await TestNode.ReadJsonAsync(response) is var deal && condition(deal))
            {
                return deal;
            }

            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>The caller's share of the latest deal, decrypted with <paramref name="encryptionKeyPem"/>.</summary>
    public static async Task<RecoveryShare> ShareAsync(HttpClient memberClient, string encryptionKeyPem)
    {
        using var response = await memberClient.GetAsync("/gov/recovery/share");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await TestNode.ReadJsonAsync(response);
        var encrypted = EncryptedRecoveryShare.Parse(body.GetProperty("encryptedShare").GetBytesFromBase64());
        using var key = MemberDecryptionKey.FromPem(encryptionKeyPem);
        return encrypted.Decrypt(key);
    }

    public static EncryptedLedgerSecret EncryptedSecret(JsonElement deal) =>
        EncryptedLedgerSecret.Parse(deal.GetProperty("encryptedLedgerSecret").GetBytesFromBase64());

    /// <summary>The current secret of a private ledger's <c>ledger_secret.key</c>.</summary>
    public static byte[] CurrentLedgerSecret(string dataDirectory)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dataDirectory, "ledger_secret.key")));
        return document.RootElement.GetProperty("secrets").EnumerateArray().Last().GetProperty("secret").GetBytesFromBase64();
    }
}
