using System.CommandLine;
using Vellum.Core;
using Vellum.Core.Receipts;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum verify-receipt --receipt FILE --service-cert PEM</c>: checks an ACL-format receipt
/// offline against a service certificate obtained out of band, with ACL's algorithm.
/// </summary>
internal static class VerifyReceiptCommand
{
    /// <summary>The command's name on the command line.</summary>
    public const string Name = "verify-receipt";

    /// <summary>
    /// The largest receipt file read. A response carries the entry's claims, and so its contents,
    /// which ACL caps at about 1 MB; the bound leaves room for that and stops a wrong path early.
    /// </summary>
    public const long MaxReceiptBytes = 16 * 1024 * 1024;

    /// <summary>The largest service certificate file read; a certificate is a few kilobytes.</summary>
    public const long MaxCertificateBytes = 1024 * 1024;

    private const string Description =
        "Verify a receipt offline against the ledger's service certificate, with Azure Confidential " +
        "Ledger's algorithm. Prints \"valid\" and a summary on standard output, or " +
        "\"invalid: <reason>\" on standard error. " + ExitCodes.HelpText;

    /// <summary>Creates the command with its options and action.</summary>
    public static Command Create()
    {
        var receipt = new Option<string>("--receipt")
        {
            Description =
                "The receipt JSON: the whole GET /app/transactions/{id}/receipt response, or just its \"receipt\" " +
                "object, with camelCase or snake_case keys. The response's applicationClaims, when present, are " +
                "checked against the receipt's claimsDigest.",
            HelpName = "FILE",
            Required = true,
        };
        var serviceCert = new Option<string>("--service-cert")
        {
            Description =
                "The trusted service certificate (the ledger identity's ledgerTlsCertificate), obtained out of band: " +
                "a PEM file, or the identity endpoint's JSON response saved as is.",
            HelpName = "PEM",
            Required = true,
        };
        var command = new Command(Name, Description) { receipt, serviceCert };
        command.SetAction(parseResult => Run(
            parseResult.GetRequiredValue(receipt),
            parseResult.GetRequiredValue(serviceCert),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Verifies the receipt in <paramref name="receiptPath"/> and reports on the two writers.</summary>
    /// <returns>An <see cref="ExitCodes"/> value.</returns>
    public static int Run(string receiptPath, string serviceCertificatePath, TextWriter output, TextWriter error)
    {
        if (!InputFile.TryReadText(receiptPath, "receipt", MaxReceiptBytes, out var json, out var problem)
            || !InputFile.TryReadText(serviceCertificatePath, "service certificate", MaxCertificateBytes, out var certificateText, out problem)
            || !ServiceCertificateText.TryRead(certificateText, out var servicePem, out problem))
        {
            return InputError(error, problem);
        }

        if (!ReceiptJson.TryParseTransactionReceipt(json, out var response, out var parseError))
        {
            return InputError(error, $"the receipt file \"{receiptPath}\" does not hold a receipt: {parseError}");
        }

        if (response.Receipt is null)
        {
            var which = response.TransactionId is { } id ? $"transaction {id}" : "the transaction";
            return InputError(error, $"the response holds no receipt yet (state Loading); ask the ledger again for the receipt of {which}");
        }

        var result = ReceiptVerifier.Verify(response, servicePem);
        if (result.FailedCheck == ReceiptCheck.ServiceCertificate)
        {
            // The certificate passed our own reading but not the verifier's: it is still the
            // trusted input that is wrong, not the receipt.
            return InputError(error, result.Reason!);
        }

        if (!result.IsValid)
        {
            return Invalid(error, $"{result.Reason} ({result.FailedCheck} check)");
        }

        var signedId = SignedTransactionId(response.Receipt);
        output.WriteLine("valid");
        output.WriteLine(Summary(signedId ?? response.TransactionId, response));
        return ExitCodes.Success;
    }

    private static TransactionId? SignedTransactionId(Receipt receipt) =>
        CommitEvidence.TryParse(receipt.LeafComponents.CommitEvidence, out var evidence) ? evidence.TransactionId : null;

    private static string Summary(TransactionId? transactionId, TransactionReceipt response)
    {
        var receipt = response.Receipt!;
        var parts = new List<string>();
        if (transactionId is { } id)
        {
            parts.Add($"transaction {id}");
        }

        parts.Add($"node {Receipt.ComputeNodeId(receipt.Cert)}");
        parts.Add($"root {receipt.ComputeRoot().ToHex()}");
        var claims = response.ApplicationClaims.Count;
        if (claims > 0)
        {
            parts.Add(claims == 1 ? "1 application claim checked" : $"{claims} application claims checked");
        }

        return string.Join(", ", parts);
    }

    private static int InputError(TextWriter error, string message)
    {
        error.WriteLine($"error: {message}");
        return ExitCodes.Failure;
    }

    private static int Invalid(TextWriter error, string reason)
    {
        error.WriteLine($"invalid: {reason}");
        return ExitCodes.Failure;
    }
}
