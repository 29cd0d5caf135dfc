using System.CommandLine;
using Spectre.Console;
using Vellum.Cli.Connection;
using Vellum.Cli.Output;
using Vellum.Client;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum list [--collection C] [--from ID] [--to ID] [--tag T] [--limit N] [--json]</c>: the
/// committed entries of a collection, page after page, with a progress display on a terminal.
/// </summary>
internal static class ListCommand
{
    /// <summary>How many entries are shown when <c>--limit</c> is not given.</summary>
    public const int DefaultLimit = 1000;

    private const string Description =
        "List a collection's committed entries in order, following the ledger's pages. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var collection = new Option<string>("--collection") { Description = "The collection (default subledger:0).", HelpName = "ID" };
        var from = TransactionIdSyntax.Option("--from", "The first transaction id to include.");
        var to = TransactionIdSyntax.Option("--to", "The last transaction id to include.");
        var tag = new Option<string>("--tag") { Description = "Only entries with this tag.", HelpName = "TAG" };
        var limit = new Option<int>("--limit") { Description = $"At most this many entries (default {DefaultLimit}); 0 for all of them.", HelpName = "N", DefaultValueFactory = _ => DefaultLimit };
        var json = new Option<bool>("--json") { Description = "Print {\"entries\":[{\"transactionId\",\"collectionId\",\"contents\",\"tags\"}...],\"truncated\"} as JSON." };
        var command = new Command("list", Description) { collection, from, to, tag, limit, json };
        connection.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => parseResult.GetValue(limit) < 0
            ? Task.FromResult(LimitError(parseResult))
            : connection.RunAsync(parseResult, async (client, output, error) =>
        {
            var query = new ListQuery(parseResult.GetValue(collection), parseResult.GetValue(from), parseResult.GetValue(to), parseResult.GetValue(tag), parseResult.GetValue(limit));
            var asJson = parseResult.GetValue(json);
            var (entries, truncated) = await FetchAsync(client, query, showProgress: !asJson && Tables.IsTerminal(output), cancellationToken);
            Print(output, entries, truncated, asJson);
            if (truncated && !asJson)
            {
                error.WriteLine($"note: only the first {query.Limit} entries are shown; --limit N shows more, --limit 0 all.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    // Fetches one entry past the limit, to tell a listing that stopped at the limit from one that ended there.
    private static async Task<(List<LedgerEntry> Entries, bool Truncated)> FetchAsync(LedgerClient client, ListQuery query, bool showProgress, CancellationToken cancellationToken)
    {
        var entries = new List<LedgerEntry>();
        var truncated = false;
        async Task Fetch(Action<int> report)
        {
            await foreach (var entry in client.GetLedgerEntriesAsync(query.Collection, query.From, query.To, query.Tag, cancellationToken))
            {
                if (query.Limit > 0 && entries.Count == query.Limit)
                {
                    truncated = true;
                    break;
                }

                entries.Add(entry);
                report(entries.Count);
            }
        }

        if (!showProgress)
        {
            await Fetch(_ => { });
            return (entries, truncated);
        }

        // The total is unknown until the last page, so the bar runs against the limit, or spins without one.
        await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("Listing", maxValue: Math.Max(1, query.Limit));
                task.IsIndeterminate = query.Limit == 0;
                await Fetch(count =>
                {
                    task.Value = count;
                    task.Description = $"Listing: {count} entries";
                });
                task.Value = task.MaxValue;
            });
        return (entries, truncated);
    }

    private static void Print(TextWriter output, List<LedgerEntry> entries, bool truncated, bool json)
    {
        if (json)
        {
            JsonOutput.Write(output, writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("entries");
                foreach (var entry in entries)
                {
                    JsonOutput.WriteEntry(writer, entry);
                }

                writer.WriteEndArray();
                writer.WriteBoolean("truncated", truncated);
                writer.WriteEndObject();
            });
            return;
        }

        if (entries.Count == 0)
        {
            output.WriteLine("No entries.");
            return;
        }

        var table = Tables.Create("Transaction", "Collection", "Tags", "Contents");
        foreach (var entry in entries)
        {
            Tables.AddRow(table, entry.TransactionId.ToString(), entry.CollectionId, string.Join(", ", entry.Tags), entry.Contents);
        }

        Tables.Write(output, table);
        output.WriteLine($"{entries.Count} entries.");
    }

    private static int LimitError(ParseResult parseResult)
    {
        parseResult.InvocationConfiguration.Error.WriteLine("error: --limit must be 0 (no limit) or more");
        return ExitCodes.Usage;
    }
}
