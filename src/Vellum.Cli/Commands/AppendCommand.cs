using System.CommandLine;
using Vellum.Cli.Connection;
using Vellum.Cli.Output;
using Vellum.Client;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum append [CONTENTS|-] [--file FILE] [--collection C] [--tag T]... [--wait] [--json]</c>:
/// appends one entry through the SDK and prints its transaction id.
/// </summary>
internal static class AppendCommand
{
    /// <summary>The largest contents read from a file or standard input; the node's own limit is usually lower.</summary>
    public const long MaxContentsBytes = 16 * 1024 * 1024;

    private const string Description =
        "Append an entry to the ledger and print its transaction id. The contents come from the argument, from --file, " +
        "or from standard input when the argument is '-'. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var contents = new Argument<string?>("CONTENTS") { Description = "The entry's contents, or '-' to read them from standard input.", Arity = ArgumentArity.ZeroOrOne };
        var file = new Option<string>("--file") { Description = "Read the contents from this file (UTF-8).", HelpName = "FILE" };
        var collection = new Option<string>("--collection") { Description = $"The collection to append to (default {LedgerClient.DefaultCollectionId}).", HelpName = "ID" };
        var tags = new Option<string[]>("--tag") { Description = "A tag for the entry; repeat for each.", HelpName = "TAG" };
        var wait = new Option<bool>("--wait") { Description = "Return only once the entry is committed." };
        var json = new Option<bool>("--json") { Description = "Print {\"transactionId\",\"collectionId\",\"committed\"} as JSON." };
        var command = new Command("append", Description) { contents, file, collection, tags, wait, json };
        connection.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            if (parseResult.GetValue(tags)?.FirstOrDefault(tag => tag.Contains(',', StringComparison.Ordinal)) is { } joined)
            {
                // Tags travel comma-separated in the query, so "a,b" would become two tags.
                error.WriteLine($"error: a tag cannot contain a comma: \"{joined}\"; repeat --tag for each tag");
                return ExitCodes.Usage;
            }

            var text = ReadContents(parseResult.GetValue(contents), parseResult.GetValue(file), out var exitCode, out var problem);
            if (text is null)
            {
                error.WriteLine($"error: {problem}");
                return exitCode;
            }

            return await connection.RunAsync(parseResult, async (client, output, _) =>
            {
                // No --tag means no tags parameter at all: an empty list would be sent as one empty tag.
                var given = parseResult.GetValue(tags);
                var written = await client.PostLedgerEntryAsync(text, parseResult.GetValue(collection), given is { Length: > 0 } ? given : null, parseResult.GetValue(wait), cancellationToken);
                Print(output, written, parseResult.GetValue(json));
                return ExitCodes.Success;
            });
        });
        return command;
    }

    private static string? ReadContents(string? argument, string? file, out int exitCode, out string? problem)
    {
        exitCode = ExitCodes.Usage;
        problem = (argument, file) switch
        {
            (null, null) => "give the contents, --file FILE, or '-' to read standard input",
            (not null, not null) => "give the contents or --file, not both",
            _ => null,
        };
        if (problem is not null)
        {
            return null;
        }

        exitCode = ExitCodes.Failure;
        if (file is not null)
        {
            return InputFile.TryReadText(file, "contents", MaxContentsBytes, out var text, out problem) ? text : null;
        }

        return argument == "-" ? ReadStandardInput(out problem) : argument;
    }

    private static string? ReadStandardInput(out string? problem)
    {
        // Read in blocks up to the bound, so that an endless pipe is refused instead of exhausting memory.
        var contents = new System.Text.StringBuilder();
        var block = new char[64 * 1024];
        int read;
        while ((read = Console.In.Read(block, 0, block.Length)) > 0)
        {
            contents.Append(block, 0, read);
            if (contents.Length > MaxContentsBytes)
            {
                problem = $"standard input holds more than the {MaxContentsBytes} characters an entry may have";
                return null;
            }
        }

        problem = null;
        return contents.ToString();
    }

    private static void Print(TextWriter output, LedgerWriteResult written, bool json)
    {
        if (json)
        {
            JsonOutput.Write(output, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("transactionId", written.TransactionId.ToString());
                writer.WriteString("collectionId", written.CollectionId);
                writer.WriteBoolean("committed", written.Committed);
                writer.WriteEndObject();
            });
            return;
        }

        output.WriteLine($"Appended {written.TransactionId} to {written.CollectionId}, {(written.Committed ? "committed" : "pending commit")}.");
    }
}
