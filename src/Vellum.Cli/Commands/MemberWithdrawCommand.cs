using System.CommandLine;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum member withdraw</c>: the proposer withdraws its open proposal (<c>POST /gov/proposals/{id}/withdraw</c>).</summary>
internal static class MemberWithdrawCommand
{
    private const string Description =
        "Withdraw an open proposal; only the member who proposed it may. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var api = new NodeApiOptions(callerRequired: true, "The proposer's certificate (PEM).");
        var proposalId = new ProposalIdOption(required: true, "The proposal to withdraw, as vellum member propose printed it.");
        var command = new Command("withdraw", Description) { proposalId.Option };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            if (!proposalId.TryRead(parseResult, out var id, out var problem))
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {problem}");
                return ExitCodes.Usage;
            }

            return await api.RunAsync(parseResult, (client, output, error) =>
                GovernanceCall.RunAsync(client, HttpMethod.Post, $"/gov/proposals/{id}/withdraw", null, $"withdraw proposal {id}", (answer, _) => ProposalText.Write(output, answer), error, cancellationToken));
        });
        return command;
    }
}
