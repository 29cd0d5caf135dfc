using System.CommandLine;
using System.Diagnostics.CodeAnalysis;

namespace Vellum.Cli.Commands;

/// <summary><c>--proposal-id</c>: a proposal's id, the SHA-256 that <c>vellum member propose</c> prints, 64 hex digits.</summary>
internal sealed class ProposalIdOption
{
    private const int IdLengthChars = 64;

    public ProposalIdOption(bool required, string description)
    {
        Option = new Option<string>("--proposal-id") { Description = description, HelpName = "ID", Required = required };
    }

    public Option<string> Option { get; }

    /// <summary>The id given, in lower case, or null when none was; false (with the problem) when it is not 64 hex digits.</summary>
    public bool TryRead(ParseResult parseResult, out string? id, [NotNullWhen(false)] out string? problem)
    {
        id = parseResult.GetValue(Option);
        problem = null;
        if (id is null)
        {
            return true;
        }

        if (id.Length != IdLengthChars || !id.All(char.IsAsciiHexDigit))
        {
            problem = $"--proposal-id must be {IdLengthChars} hex digits (vellum member proposals lists them), not \"{id}\"";
            return false;
        }

        id = id.ToLowerInvariant();
        return true;
    }
}
