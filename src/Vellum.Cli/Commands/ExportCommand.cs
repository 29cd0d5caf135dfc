using System.CommandLine;
using System.Net;
using System.Text.Json;
using Vellum.Core;
using Vellum.Core.Bundles;
using Vellum.Core.Receipts;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum export --tx ID... --out FILE</c>: an auditor bundle of chosen transactions, each
/// with its receipt and claim, checked against the pinned service certificate before it is
/// written, so that an auditor gets what the ledger signed and nothing else of it.
/// </summary>
internal static class ExportCommand
{
    private const string ApiVersion = "2024-08-22-preview";
    private const int MaxLoadingRetries = 50;

    private const string Description =
        "Write an auditor bundle: the chosen committed transactions with their receipts and the entries' collection and " +
        "contents, which vellum verify-bundle checks offline with no access to the ledger. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var api = new NodeApiOptions(callerRequired: false, "A user's certificate (PEM) with the right to read receipts.");
        var transactions = new Option<string[]>("--tx") { Description = "A transaction to include, as VIEW.SEQNO; repeat for each.", HelpName = "ID", Required = true, AllowMultipleArgumentsPerToken = true };
        var outFile = new Option<string>("--out") { Description = "The bundle file to write (replaced if it exists).", HelpName = "FILE", Required = true };
        var command = new Command("export", Description) { transactions, outFile };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var ids = new List<TransactionId>();
            foreach (var text in parseResult.GetRequiredValue(transactions))
            {
                if (!TransactionId.TryParse(text, out var id))
                {
                    error.WriteLine($"error: --tx {text} is not a transaction id (VIEW.SEQNO)");
                    return ExitCodes.Usage;
                }

                ids.Add(id);
            }

            var servicePem = ServicePem(parseResult, api);
            return await api.RunAsync(parseResult, (client, output, error) =>
                ExportAsync(client, ids, servicePem, parseResult.GetRequiredValue(outFile), output, error, cancellationToken));
        });
        return command;
    }

    private static string ServicePem(ParseResult parseResult, NodeApiOptions api) =>
        InputFile.TryReadText(parseResult.GetRequiredValue(api.ServiceCert), "service certificate", VerifyReceiptCommand.MaxCertificateBytes, out var text, out _)
        && ServiceCertificateText.TryRead(text, out var pem, out _) ? pem : string.Empty;

    private static async Task<int> ExportAsync(NodeApiClient client, List<TransactionId> ids, string servicePem, string path, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var state = await client.SendAsync(HttpMethod.Get, "/node/state", cancellationToken);
            using var stateJson = JsonDocument.Parse(state.Body);
            var receipts = new List<string>();
            foreach (var id in ids)
            {
                if (await ReceiptAsync(client, id, servicePem, error, cancellationToken) is not { } receipt)
                {
                    return ExitCodes.Failure;
                }

                receipts.Add(receipt);
            }

            var bundle = new AuditorBundle(stateJson.RootElement.GetProperty("ledgerId").GetString() ?? string.Empty, DateTimeOffset.UtcNow, servicePem, receipts);
            var temporary = path + ".tmp";
            await File.WriteAllBytesAsync(temporary, bundle.ToJson(), cancellationToken);
            File.Move(temporary, path, overwrite: true);
            output.WriteLine($"Exported {ids.Count} transaction(s) of ledger \"{bundle.LedgerId}\" to {path}, each verified against the service certificate.");
            return ExitCodes.Success;
        }
        catch (Exception exception) when (exception is HttpRequestException or InvalidOperationException or IOException or UnauthorizedAccessException or JsonException or KeyNotFoundException)
        {
            error.WriteLine($"error: cannot export from {client.Target.Authority}: {exception.Message}");
            return ExitCodes.Failure;
        }
    }

    // The receipt response as served, once the transaction is committed and signed over; null after saying why not.
    private static async Task<string?> ReceiptAsync(NodeApiClient client, TransactionId id, string servicePem, TextWriter error, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.SendAsync(HttpMethod.Get, $"/app/transactions/{id}/receipt?api-version={ApiVersion}", cancellationToken);
            if (response.Status != HttpStatusCode.OK)
            {
                error.WriteLine($"error: {response.Authority} has no receipt for {id} ({(int)response.Status}): {response.ErrorText}");
                return null;
            }

            if (!ReceiptJson.TryParseTransactionReceipt(response.Body, out var receipt, out var problem))
            {
                error.WriteLine($"error: {response.Authority} answered for {id} with something that is not a receipt: {problem}");
                return null;
            }

            if (receipt.Receipt is not null)
            {
                var verification = ReceiptVerifier.Verify(receipt, servicePem);
                if (!verification.IsValid)
                {
                    error.WriteLine($"error: the receipt {response.Authority} gave for {id} does not verify, so it is not exported: {verification.Reason}");
                    return null;
                }

                return response.Body;
            }

            // Loading: not committed yet, or not signed over yet; a signature follows shortly.
            if (attempt == MaxLoadingRetries)
            {
                error.WriteLine($"error: {id} has no receipt yet: it is not committed. Export it once it is.");
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000, 20 << Math.Min(attempt, 6))), cancellationToken);
        }
    }
}
