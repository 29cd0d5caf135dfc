using System.CommandLine;
using System.Text.Json;
using Vellum.Core.Bundles;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum verify-bundle FILE --service-cert PEM</c>: checks an auditor bundle offline and
/// shows what each entry says; exits non-zero when any transaction does not verify.
/// </summary>
internal static class VerifyBundleCommand
{
    private const long MaxBundleBytes = 256 * 1024 * 1024;

    private const string Description =
        "Verify an auditor bundle (vellum export) offline against the ledger's service certificate, obtained out of band, " +
        "and show each entry's collection and contents: every receipt is checked with ACL's algorithm and every entry " +
        "against the claim the ledger signed. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The bundle." };
        var serviceCert = new Option<string>("--service-cert") { Description = "The trusted service certificate (PEM, or the identity endpoint's JSON).", HelpName = "PEM", Required = true };
        var json = new Option<bool>("--json") { Description = "Print a JSON report instead of text." };
        var command = new Command("verify-bundle", Description) { file, serviceCert, json };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var path = parseResult.GetRequiredValue(file);
            if (!InputFile.TryReadText(parseResult.GetRequiredValue(serviceCert), "service certificate", VerifyReceiptCommand.MaxCertificateBytes, out var certificateText, out var problem)
                || !ServiceCertificateText.TryRead(certificateText, out var servicePem, out problem)
                || !InputFile.TryReadText(path, "bundle", MaxBundleBytes, out var bundleText, out problem))
            {
                error.WriteLine($"error: {problem}");
                return ExitCodes.Failure;
            }

            AuditorBundle bundle;
            try
            {
                bundle = AuditorBundle.Parse(System.Text.Encoding.UTF8.GetBytes(bundleText));
            }
            catch (FormatException exception)
            {
                error.WriteLine($"error: {path}: {exception.Message}");
                return ExitCodes.Failure;
            }

            var results = BundleVerifier.Verify(bundle, servicePem);
            if (parseResult.GetValue(json))
            {
                WriteJson(output, bundle, results);
            }
            else
            {
                WriteText(output, bundle, results);
            }

            var invalid = results.FirstOrDefault(result => !result.IsValid);
            if (invalid is not null)
            {
                error.WriteLine($"invalid: transaction {invalid.TransactionId?.ToString() ?? $"#{invalid.Index + 1}"}: {invalid.Reason}");
                return ExitCodes.Failure;
            }

            if (results.Count == 0)
            {
                error.WriteLine("invalid: the bundle holds no transactions, so it shows nothing.");
                return ExitCodes.Failure;
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteText(TextWriter output, AuditorBundle bundle, IReadOnlyList<BundleEntryResult> results)
    {
        // The ledger id and export time are the exporter's word: no receipt signs them.
        output.WriteLine($"Bundle said to be of ledger \"{bundle.LedgerId}\", exported {bundle.ExportedAt:u} (neither is signed): {results.Count(r => r.IsValid)} of {results.Count} transaction(s) valid.");
        foreach (var result in results)
        {
            var id = result.TransactionId?.ToString() ?? $"#{result.Index + 1}";
            output.WriteLine(result switch
            {
                { IsValid: false } => $"  INVALID {id}: {result.Reason}",
                { Claim: null } => $"  valid   {id}  (signature transaction)",
                { Claim: var claim } => $"  valid   {id}  {claim.CollectionId}  {JsonSerializer.Serialize(claim.Contents)}",
            });
        }
    }

    private static void WriteJson(TextWriter output, AuditorBundle bundle, IReadOnlyList<BundleEntryResult> results)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("ledgerId", bundle.LedgerId);
            writer.WriteBoolean("valid", results.Count > 0 && results.All(result => result.IsValid));
            writer.WriteStartArray("transactions");
            foreach (var result in results)
            {
                writer.WriteStartObject();
                if (result.TransactionId is { } id)
                {
                    writer.WriteString("transactionId", id.ToString());
                }

                writer.WriteBoolean("valid", result.IsValid);
                if (result.Claim is { } claim)
                {
                    writer.WriteString("collectionId", claim.CollectionId);
                    writer.WriteString("contents", claim.Contents);
                }

                if (result.Reason is { } reason)
                {
                    writer.WriteString("reason", reason);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }
}
