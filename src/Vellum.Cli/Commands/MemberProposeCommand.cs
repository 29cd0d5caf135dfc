using System.CommandLine;
using Vellum.Node.Governance.Voting;

namespace Vellum.Cli.Commands;

/// <summary>
/// <c>vellum member propose</c>: submits a proposal as a member (<c>POST /gov/proposals</c>), from a file or
/// from one action and its arguments, and prints its id and state.
/// </summary>
internal static class MemberProposeCommand
{
    private const string Description =
        "Propose a change as a member and print the proposal's id and state. Give the proposal as a file " +
        "({\"actions\":[{\"name\":...,\"args\":{...}}]}) with --proposal, or as one action with --action and " +
        "--arg KEY=VALUE: a value is a string, @PATH stands for that file's text, a whole number for " +
        ProposalBody.NumericArgument + " is sent as a number, true or false for " + ProposalBody.BooleanArgument + " as a boolean, and " +
        ProposalBody.JsonArgument + " (a JSON Web Key Set, usually @PATH) as the JSON it holds. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var api = new NodeApiOptions(callerRequired: true, "A member's certificate (PEM), presented as the proposer.");
        var proposal = new Option<string>("--proposal") { Description = "A file holding the whole proposal as JSON.", HelpName = "FILE" };
        var action = new Option<string>("--action") { Description = $"The action to propose: {string.Join(", ", GovernanceActions.Names)}.", HelpName = "NAME" };
        var arg = new Option<string[]>("--arg") { Description = "An argument of --action, KEY=VALUE or KEY=@PATH; repeat for each.", HelpName = "KEY=VALUE" };
        var command = new Command("propose", Description) { proposal, action, arg };
        api.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            var (exitCode, body) = Body(parseResult, proposal, action, arg, error);
            if (body is null)
            {
                return exitCode;
            }

            return await api.RunAsync(parseResult, (client, output, error) =>
                GovernanceCall.RunAsync(client, HttpMethod.Post, "/gov/proposals", body, "record the proposal", (answer, _) => ProposalText.Write(output, answer), error, cancellationToken));
        });
        return command;
    }

    private static (int ExitCode, string? Body) Body(ParseResult parseResult, Option<string> proposal, Option<string> action, Option<string[]> arg, TextWriter error)
    {
        var file = parseResult.GetValue(proposal);
        var name = parseResult.GetValue(action);
        var arguments = parseResult.GetValue(arg) ?? [];
        if ((file is null) == (name is null))
        {
            error.WriteLine("error: give exactly one of --proposal and --action");
            return (ExitCodes.Usage, null);
        }

        if (file is not null)
        {
            if (arguments.Length > 0)
            {
                error.WriteLine("error: --arg goes with --action, not --proposal");
                return (ExitCodes.Usage, null);
            }

            if (!ProposalBody.TryRead(file, out var read, out var unreadable))
            {
                error.WriteLine($"error: {unreadable}");
                return (ExitCodes.Failure, null);
            }

            return (ExitCodes.Success, read);
        }

        if (!ProposalBody.TryMake(name!, arguments, out var made, out var exitCode, out var problem))
        {
            error.WriteLine($"error: {problem}");
            return (exitCode, null);
        }

        return (ExitCodes.Success, made);
    }
}
