using System.CommandLine;
using Vellum.Cli.Connection;
using Vellum.Cli.Output;
using Vellum.Client;
using Vellum.Core.Claims;
using Vellum.Core.Receipts;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum receipt ID [--verify] [--out FILE] [--json]</c>: fetches a committed transaction's
/// receipt, optionally saves it exactly as served, and with <c>--verify</c> checks it offline
/// against the pinned service certificate, exiting 1 when it does not verify.
/// </summary>
internal static class ReceiptCommand
{
    private const string Description =
        "Fetch a transaction's receipt once it is committed. --verify checks it offline against the pinned service certificate " +
        "(exit 1 if invalid); --out saves it as served, for vellum verify-receipt or ACL's verifiers. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var id = TransactionIdSyntax.Argument("The transaction id.");
        var verify = new Option<bool>("--verify") { Description = "Verify the receipt against the service certificate given with --service-cert (or the profile's)." };
        var outFile = new Option<string>("--out") { Description = "Save the receipt response, exactly as the ledger served it, to this file (replaced if it exists).", HelpName = "FILE" };
        var json = new Option<bool>("--json") { Description = "Print {\"transactionId\",\"nodeId\",\"verified\",\"reason\",\"receipt\"} as JSON; verified and reason are null without --verify." };
        var command = new Command("receipt", Description) { id, verify, outFile, json };
        connection.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, async (client, output, error) =>
        {
            var receipt = await client.GetReceiptAsync(parseResult.GetValue(id), cancellationToken);
            var verdict = parseResult.GetValue(verify) ? client.VerifyReceipt(receipt) : null;
            if (parseResult.GetValue(outFile) is { } path)
            {
                var temporary = path + ".tmp";
                await File.WriteAllTextAsync(temporary, receipt.Json, cancellationToken);
                File.Move(temporary, path, overwrite: true);
            }

            if (parseResult.GetValue(json))
            {
                WriteJson(output, receipt, verdict);
            }
            else
            {
                WriteSummary(output, receipt, verdict, client.Identity, parseResult.GetValue(outFile));
            }

            if (verdict is { IsValid: false })
            {
                error.WriteLine($"error: the receipt of {receipt.TransactionId} is invalid ({verdict.FailedCheck}): {verdict.Reason}");
                return ExitCodes.Failure;
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static void WriteJson(TextWriter output, LedgerReceipt receipt, ReceiptVerificationResult? verdict) => JsonOutput.Write(output, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("transactionId", receipt.TransactionId.ToString());
        writer.WriteString("nodeId", receipt.Receipt.NodeId);
        if (verdict is null)
        {
            writer.WriteNull("verified");
            writer.WriteNull("reason");
        }
        else
        {
            writer.WriteBoolean("verified", verdict.IsValid);
            writer.WriteString("reason", verdict.Reason);
        }

        writer.WritePropertyName("receipt");
        writer.WriteRawValue(receipt.Json);
        writer.WriteEndObject();
    });

    private static void WriteSummary(TextWriter output, LedgerReceipt receipt, ReceiptVerificationResult? verdict, LedgerIdentity identity, string? savedTo)
    {
        var fields = new List<(string, string)>
        {
            ("Transaction", receipt.TransactionId.ToString()),
            ("Signed by node", receipt.Receipt.NodeId ?? "(not named)"),
            ("Proof", $"{receipt.Receipt.Proof.Count} step(s) to the signed root"),
        };
        foreach (var claim in receipt.ApplicationClaims.OfType<LedgerEntryClaim>())
        {
            fields.Add(("Entry", $"{claim.CollectionId}: {claim.Contents}"));
        }

        if (savedTo is not null)
        {
            fields.Add(("Saved to", savedTo));
        }

        fields.Add(("Verified", verdict switch
        {
            null => "not checked (add --verify)",
            { IsValid: true } => $"valid, against the service certificate {identity.Fingerprint}",
            _ => $"INVALID ({verdict.FailedCheck}): {verdict.Reason}",
        }));
        Tables.Write(output, Tables.Fields([.. fields]));
    }
}
