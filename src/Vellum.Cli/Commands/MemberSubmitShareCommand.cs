using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
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

    private const long MaxPemBytes = 1024 * 1024;

    public static Command Create()
    {
        var api = new NodeApiOptions(callerRequired: true, "A member's certificate (PEM), presented as the submitter.");
        var encryptionKey = new Option<string>("--encryption-key")
        {
            Description = "The member's private encryption key (PEM), such as member0_enc_key.pem.",
            HelpName = "PEM",
            Required = true,
        };
        var command = new Command("submit-share", Description) { encryptionKey };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var keyPath = parseResult.GetValue(encryptionKey)!;
            if (!TryReadKey(keyPath, out var key, out var problem))
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {problem}");
                return ExitCodes.Failure;
            }

            using (key)
            {
                return await api.RunAsync(parseResult, async (client, output, error) =>
                {
                    byte[]? encrypted = null;
                    var fetched = await GovernanceCall.RunAsync(
                        client,
                        HttpMethod.Get,
                        "/gov/recovery/share",
                        null,
                        "fetch this member's recovery share",
                        (answer, _) => encrypted = answer.GetProperty("encryptedShare").GetBytesFromBase64(),
                        error,
                        cancellationToken);
                    if (fetched != ExitCodes.Success || encrypted is null)
                    {
                        return ExitCodes.Failure;
                    }

                    if (!TryDecrypt(encrypted, key, out var body, out problem))
                    {
                        error.WriteLine($"error: {client.Target.Authority} sent this member's share, but {keyPath} cannot decrypt it: {problem}");
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

    // A file that cannot be used exits 1, as with every command; only a wrong command line exits 2.
    private static bool TryReadKey(string path, [NotNullWhen(true)] out MemberDecryptionKey? key, [NotNullWhen(false)] out string? problem)
    {
        key = null;
        if (!InputFile.TryReadText(path, "encryption key", MaxPemBytes, out var pem, out problem))
        {
            return false;
        }

        try
        {
            key = MemberDecryptionKey.FromPem(pem);
            return true;
        }
        catch (FormatException exception)
        {
            problem = $"the encryption key file \"{path}\" cannot be used: {exception.Message}";
            return false;
        }
    }

    // The request body {"share": "<base64>"} with the decrypted share, or why the key does not decrypt it (another member's key, say).
    private static bool TryDecrypt(byte[] encryptedShare, MemberDecryptionKey key, [NotNullWhen(true)] out string? body, [NotNullWhen(false)] out string? problem)
    {
        body = null;
        RecoveryShare share;
        try
        {
            share = EncryptedRecoveryShare.Parse(encryptedShare).Decrypt(key);
        }
        catch (Exception exception) when (exception is RecoveryException or RecoveryFormatException)
        {
            problem = exception.Message;
            return false;
        }

        try
        {
            body = JsonSerializer.Serialize(new { share = Convert.ToBase64String(share.ToBytes()) });
            problem = null;
            return true;
        }
        finally
        {
            share.Clear();
        }
    }
}
