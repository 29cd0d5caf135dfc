using System.CommandLine;
using Vellum.Cli.Connection;
using Vellum.Cli.Output;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum status ID [--wait] [--json]</c>: a transaction's state, Pending or Committed.</summary>
internal static class StatusCommand
{
    private const string Description =
        "Print a transaction's state: Pending or Committed. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var connection = new ConnectionOptions();
        var id = TransactionIdSyntax.Argument("The transaction id.");
        var wait = new Option<bool>("--wait") { Description = "Wait until the transaction is committed." };
        var json = new Option<bool>("--json") { Description = "Print {\"transactionId\",\"state\"} as JSON." };
        var command = new Command("status", Description) { id, wait, json };
        connection.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => connection.RunAsync(parseResult, async (client, output, _) =>
        {
            var transaction = parseResult.GetValue(id);
            if (parseResult.GetValue(wait))
            {
                await client.WaitForCommitAsync(transaction, cancellationToken);
            }

            var status = await client.GetTransactionStatusAsync(transaction, cancellationToken);
            if (parseResult.GetValue(json))
            {
                JsonOutput.Write(output, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("transactionId", status.TransactionId.ToString());
                    writer.WriteString("state", status.State.ToString());
                    writer.WriteEndObject();
                });
            }
            else
            {
                output.WriteLine($"{status.TransactionId} {status.State}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
