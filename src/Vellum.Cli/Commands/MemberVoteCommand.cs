using System.CommandLine;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum member vote</c>: casts the member's ballot on an open proposal (<c>POST /gov/proposals/{id}/ballots</c>).</summary>
internal static class MemberVoteCommand
{
    private const string Description =
        "Vote on an open proposal as a member, once and for all, and print its state afterwards: the proposal is " +
        "Accepted (and applied) once more than half of the members accept it. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var api = new NodeApiOptions(callerRequired: true, "A member's certificate (PEM), presented as the voter.");
        var proposalId = new ProposalIdOption(required: true, "The proposal to vote on, as vellum member propose printed it.");
        var accept = new Option<bool>("--accept") { Description = "Vote for the proposal." };
        var reject = new Option<bool>("--reject") { Description = "Vote against the proposal." };
        var command = new Command("vote", Description) { proposalId.Option, accept, reject };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            if (!proposalId.TryRead(parseResult, out var id, out var problem))
            {
                error.WriteLine($"error: {problem}");
                return ExitCodes.Usage;
            }

            var inFavour = parseResult.GetValue(accept);
            if (inFavour == parseResult.GetValue(reject))
            {
                error.WriteLine("error: give exactly one of --accept and --reject");
                return ExitCodes.Usage;
            }

            var body = inFavour ? "{\"ballot\":true}" : "{\"ballot\":false}";
            return await api.RunAsync(parseResult, (client, output, error) =>
                GovernanceCall.RunAsync(
                    client,
                    HttpMethod.Post,
                    $"/gov/proposals/{id}/ballots",
                    body,
                    $"vote on proposal {id}",
                    (answer, _) =>
                    {
                        output.WriteLine($"Ballot recorded: {(inFavour ? "accept" : "reject")}.");
                        ProposalText.Write(output, answer);
                    },
                    error,
                    cancellationToken));
        });
        return command;
    }
}
