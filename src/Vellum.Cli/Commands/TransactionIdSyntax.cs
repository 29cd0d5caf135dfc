using System.CommandLine;
using System.CommandLine.Parsing;
using Vellum.Core;

namespace Vellum.Cli.Commands;

/// <summary>
/// Transaction ids on the command line, parsed by System.CommandLine itself so that a malformed
/// id is a usage error (exit 2) reported before any connection is made.
/// </summary>
internal static class TransactionIdSyntax
{
    private const string HelpName = "VIEW.SEQNO";

    /// <summary>A required transaction id argument.</summary>
    public static Argument<TransactionId> Argument(string description) =>
        new("ID") { Description = description, HelpName = HelpName, CustomParser = Parse };

    /// <summary>An optional transaction id option.</summary>
    public static Option<TransactionId?> Option(string name, string description) =>
        new(name) { Description = description, HelpName = HelpName, CustomParser = result => Parse(result) };

    private static TransactionId Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (!TransactionId.TryParse(text, out var id, out var problem))
        {
            result.AddError(problem);
            return default;
        }

        return id;
    }
}
