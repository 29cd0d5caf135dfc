using System.CommandLine;
using Vellum.Cli.Connection;
using Vellum.Cli.Output;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum get ID [--collection C] [--json]</c>: reads one entry, waiting while it commits.</summary>
internal static class GetCommand
{
    private const string Description =
        "Read one entry by its transaction id, waiting until it is committed. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var id = TransactionIdSyntax.Argument("The entry's transaction id.");
        var collection = new Option<string>("--collection") { Description = "The entry's collection: an entry of another collection is not found. Without it, the entry is read whatever its collection.", HelpName = "ID" };
        var json = new Option<bool>("--json") { Description = "Print {\"transactionId\",\"collectionId\",\"contents\",\"tags\"} as JSON." };
        var command = new Command("get", Description) { id, collection, json };
        connection.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, async (client, output, _) =>
        {
            var entry = await client.GetLedgerEntryAsync(parseResult.GetValue(id), parseResult.GetValue(collection), cancellationToken);
            if (parseResult.GetValue(json))
            {
                JsonOutput.Write(output, writer => JsonOutput.WriteEntry(writer, entry));
            }
            else
            {
                Tables.Write(output, Tables.Fields(
                    ("Transaction", entry.TransactionId.ToString()),
                    ("Collection", entry.CollectionId),
                    ("Tags", string.Join(", ", entry.Tags)),
                    ("Contents", entry.Contents)));
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
