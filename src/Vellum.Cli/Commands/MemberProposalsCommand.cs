using System.CommandLine;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum member proposals</c>: prints every proposal (<c>GET /gov/proposals</c>) or one (<c>GET /gov/proposals/{id}</c>).</summary>
internal static class MemberProposalsCommand
{
    private const string Description =
        "Print the ledger's proposals, or with --proposal-id one of them: state, proposer, actions, ballots, and why it failed. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var api = new NodeApiOptions(callerRequired: false, "A certificate (PEM) to present as the caller; optional, since anyone may read proposals.");
        var proposalId = new ProposalIdOption(required: false, "Show only this proposal.");
        var command = new Command("proposals", Description) { proposalId.Option };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!proposalId.TryRead(parseResult, out var id, out var problem))
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {problem}");
                return ExitCodes.Usage;
            }

            return await api.RunAsync(parseResult, (client, output, error) => id is null
                ? GovernanceCall.RunAsync(client, HttpMethod.Get, "/gov/proposals", null, "list the proposals", (answer, authority) => PrintAll(output, answer, authority), error, cancellationToken)
                : GovernanceCall.RunAsync(client, HttpMethod.Get, $"/gov/proposals/{id}", null, $"show proposal {id}", (answer, _) => ProposalText.Write(output, answer), error, cancellationToken));
        });
        return command;
    }

    private static void PrintAll(TextWriter output, System.Text.Json.JsonElement answer, string authority)
    {
        var proposals = answer.GetProperty("proposals").EnumerateArray().ToList();
        output.WriteLine($"{proposals.Count} proposal(s), as {authority} knows them:");
        foreach (var proposal in proposals)
        {
            ProposalText.Write(output, proposal);
        }
    }
}
