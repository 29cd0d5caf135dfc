using System.CommandLine;
using Vellum.Core.TreeHeads;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum verify-consistency</c>: checks that one signed tree head of a ledger extends another,
/// either asking a node for both heads and the proof (<c>--target … --from M --to N</c>) or
/// offline from saved files (<c>--from-head FILE --to-head FILE --proof FILE</c>).
/// </summary>
internal static class VerifyConsistencyCommand
{
    /// <summary>The command's name on the command line.</summary>
    public const string Name = "verify-consistency";

    /// <summary>The largest head or proof file read: a head is a certificate and a few hashes, plus endorsements.</summary>
    public const long MaxFileBytes = 1024 * 1024;

    private const string Description =
        "Verify that the ledger only grew between two signed tree heads: both heads are signed by nodes of the service, " +
        "and an RFC 9162 consistency proof leads from the earlier root to the later one. Online, give --target, --cert, --key, " +
        "--from and --to (tree sizes of signed heads); offline, give --from-head and --to-head (heads saved from GET /app/tree/head " +
        "or a monitor's state file) and --proof (a saved GET /app/tree/consistency response). Prints \"valid\" and a summary, or " +
        "\"invalid: <reason>\" on standard error. " + ExitCodes.HelpText;

    /// <summary>Creates the command with its options and action.</summary>
    public static Command Create()
    {
        var api = new NodeApiOptions(callerRequired: false, "A ledger user's certificate (PEM) whose roles may read receipts (Reader or above); online only.");
        api.Target.Required = false;
        var from = new Option<long?>("--from") { Description = "Online: the tree size of the earlier signed head.", HelpName = "M" };
        var to = new Option<long?>("--to") { Description = "Online: the tree size of the later signed head.", HelpName = "N" };
        var fromHead = new Option<string>("--from-head") { Description = "Offline: the earlier signed head (JSON).", HelpName = "FILE" };
        var toHead = new Option<string>("--to-head") { Description = "Offline: the later signed head (JSON).", HelpName = "FILE" };
        var proof = new Option<string>("--proof") { Description = "Offline: the consistency response between the two heads (JSON), saved as is.", HelpName = "FILE" };
        var command = new Command(Name, Description) { from, to, fromHead, toHead, proof };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var online = parseResult.GetValue(api.Target) is not null;
            string? usage = online
                ? Conflict(parseResult, [fromHead, toHead, proof], "with --target") ?? Missing(parseResult, [from, to, api.Cert, api.Key], "with --target")
                : Conflict(parseResult, [from, to, api.Cert, api.Key], "without --target") ?? Missing(parseResult, [fromHead, toHead, proof], "without --target");
            if (usage is not null)
            {
                error.WriteLine($"error: {usage}");
                return ExitCodes.Usage;
            }

            if (!api.TryReadServiceCertificate(parseResult, out var servicePem, out var problem))
            {
                error.WriteLine($"error: {problem}");
                return ExitCodes.Failure;
            }

            return online
                ? await api.RunAsync(parseResult, (client, output, error) =>
                    RunOnlineAsync(client, parseResult.GetValue(from)!.Value, parseResult.GetValue(to)!.Value, servicePem, output, error, cancellationToken))
                : RunOffline(parseResult.GetValue(fromHead)!, parseResult.GetValue(toHead)!, parseResult.GetValue(proof)!, servicePem, parseResult.InvocationConfiguration.Output, error);
        });
        return command;
    }

    private static async Task<int> RunOnlineAsync(NodeApiClient client, long from, long to, string servicePem, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (from < 1 || from > to)
        {
            error.WriteLine($"error: --from and --to must be tree sizes with 1 ≤ from ≤ to, not {from} and {to}");
            return ExitCodes.Usage;
        }

        var answer = await TreeApi.ConsistencyAsync(client, from, to, cancellationToken);
        if (answer.Value is not { } consistency)
        {
            error.WriteLine($"error: {answer.Problem}");
            return ExitCodes.Failure;
        }

        if (consistency.From.TreeSize != from || consistency.To.TreeSize != to)
        {
            return Invalid(error, $"asked for tree sizes {from} and {to}, the node answered with {consistency.From.TreeSize} and {consistency.To.TreeSize}");
        }

        return Report(TreeHeadVerifier.VerifyConsistency(consistency.From, consistency.To, consistency.Proof, servicePem), consistency.From, consistency.To, output, error);
    }

    private static int RunOffline(string fromPath, string toPath, string proofPath, string servicePem, TextWriter output, TextWriter error)
    {
        if (!TryRead(fromPath, "earlier head", SignedTreeHead.Parse, out var older, out var problem)
            || !TryRead(toPath, "later head", SignedTreeHead.Parse, out var newer, out problem)
            || !TryRead(proofPath, "consistency proof", TreeConsistency.Parse, out var consistency, out problem))
        {
            error.WriteLine($"error: {problem}");
            return ExitCodes.Failure;
        }

        if (consistency.From.TreeSize != older.TreeSize || consistency.To.TreeSize != newer.TreeSize)
        {
            error.WriteLine(
                $"error: the proof in \"{proofPath}\" is between tree sizes {consistency.From.TreeSize} and {consistency.To.TreeSize}, " +
                $"but the heads are of tree sizes {older.TreeSize} and {newer.TreeSize}");
            return ExitCodes.Failure;
        }

        // The heads given are what is checked; the response's own heads only located the proof.
        return Report(TreeHeadVerifier.VerifyConsistency(older, newer, consistency.Proof, servicePem), older, newer, output, error);
    }

    private static int Report(TreeHeadVerificationResult result, SignedTreeHead older, SignedTreeHead newer, TextWriter output, TextWriter error)
    {
        if (!result.IsValid)
        {
            return Invalid(error, $"{result.Reason} ({result.FailedCheck} check)");
        }

        output.WriteLine("valid");
        output.WriteLine($"{older} is a prefix of {newer}");
        return ExitCodes.Success;
    }

    private static bool TryRead<T>(string path, string what, Func<string, T> parse, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
        where T : class
    {
        value = null;
        if (!InputFile.TryReadText(path, what, MaxFileBytes, out var text, out problem))
        {
            return false;
        }

        try
        {
            value = parse(text);
            return true;
        }
        catch (TreeHeadFormatException exception)
        {
            problem = $"the {what} file \"{path}\" does not hold one: {exception.Message}";
            return false;
        }
    }

    private static string? Conflict(ParseResult parseResult, Option[] options, string mode)
    {
        var given = options.Where(option => parseResult.GetResult(option) is not null).Select(option => option.Name).ToList();
        return given.Count == 0 ? null : $"{string.Join(", ", given)} cannot be used {mode}";
    }

    private static string? Missing(ParseResult parseResult, Option[] options, string mode)
    {
        var missing = options.Where(option => parseResult.GetResult(option) is null).Select(option => option.Name).ToList();
        return missing.Count == 0 ? null : $"{string.Join(", ", missing)} {(missing.Count == 1 ? "is" : "are")} required {mode}";
    }

    private static int Invalid(TextWriter error, string reason)
    {
        error.WriteLine($"invalid: {reason}");
        return ExitCodes.Failure;
    }
}
