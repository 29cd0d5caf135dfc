using System.CommandLine;
using System.Text.Json;
using Vellum.Core.Recovery;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum member submit-share</c>: during a recovery, fetches the member's encrypted recovery
/// share from the recovering node (<c>GET /gov/recovery/share</c>), decrypts it here with the
/// member's encryption key, which never leaves this machine, and submits the decrypted share
/// (<c>POST /gov/recovery/share</c>).
/// </summary>
internal static class MemberSubmitShareCommand
{
    private const string Description =
        "Submit this member's recovery share to a node recovering a ledger (vellum recover). The share is fetched " +
        "encrypted, decrypted here with --encryption-key and sent back; once enough members have submitted theirs, " +
        "the node recovers the ledger's secrets. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var api = new NodeApiOptions(callerRequired: true, "A member's certificate (PEM), presented as the submitter.");
        var encryptionKey = new Option<string>("--encryption-key")
        {
            Description = "The member's private encryption key (PEM), such as member0_enc_key.pem.",
            Required = true,
        };
        var command = new Command("submit-share", Description) { encryptionKey };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var keyPath = parseResult.GetValue(encryptionKey)!;
            MemberDecryptionKey key;
            try
            {
                key = MemberDecryptionKey.FromPem(await File.ReadAllTextAsync(keyPath, cancellationToken));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: cannot read the encryption key {keyPath}: {exception.Message}");
                return ExitCodes.Usage;
            }

            using (key)
            {
                return await api.RunAsync(parseResult, async (client, output, error) =>
                {
                    string? body = null;
                    var fetched = await GovernanceCall.RunAsync(
                        client,
                        HttpMethod.Get,
                        "/gov/recovery/share",
                        null,
                        "fetch this member's recovery share",
                        (answer, _) => body = DecryptedShareBody(answer, key),
                        error,
                        cancellationToken);
                    if (fetched != ExitCodes.Success || body is null)
                    {
                        return ExitCodes.Failure;
                    }

                    return await GovernanceCall.RunAsync(
                        client,
                        HttpMethod.Post,
                        "/gov/recovery/share",
                        body,
                        "take this member's recovery share",
                        (answer, _) => output.WriteLine(answer.GetProperty("recovered").GetBoolean()
                            ? "Share submitted: the threshold is reached and the node is recovering the ledger."
                            : $"Share submitted: {answer.GetProperty("submittedShares").GetInt32()} of the {answer.GetProperty("threshold").GetInt32()} shares needed are in."),
                        error,
                        cancellationToken);
                });
            }
        });
        return command;
    }

    private static string? DecryptedShareBody(JsonElement answer, MemberDecryptionKey key)
    {
        var encrypted = EncryptedRecoveryShare.Parse(answer.GetProperty("encryptedShare").GetBytesFromBase64());
        var share = encrypted.Decrypt(key);
        try
        {
            return JsonSerializer.Serialize(new { share = Convert.ToBase64String(share.ToBytes()) });
        }
        finally
        {
            share.Clear();
        }
    }
}
