using System.Text.Json;

namespace Vellum.Cli.Commands;

/// <summary>Prints a proposal as <c>/gov/proposals/{id}</c> answers it: id and state, proposer, actions, ballots, and why it failed.</summary>
internal static class ProposalText
{
    // Arguments such as a certificate run to many lines; a listing shows their size instead.
    private const int MaxShownValueChars = 72;

    /// <summary>The proposal's first line, <c>Proposal ID: STATE</c>, which scripts may read.</summary>
    public static string Headline(JsonElement proposal) =>
        $"Proposal {proposal.GetProperty("proposalId").GetString()}: {proposal.GetProperty("state").GetString()}";

    /// <summary>Writes the headline, then one indented line each for the proposer, every action, every ballot and a failure.</summary>
    /// <exception cref="KeyNotFoundException">The proposal lacks a property this version expects.</exception>
    /// <exception cref="InvalidOperationException">A property has a type this version does not expect.</exception>
    public static void Write(TextWriter output, JsonElement proposal)
    {
        output.WriteLine(Headline(proposal));
        output.WriteLine($"  proposer {proposal.GetProperty("proposerId").GetString()}");
        foreach (var action in proposal.GetProperty("actions").EnumerateArray())
        {
            var args = action.GetProperty("args").EnumerateObject().Select(arg => $" {arg.Name}={Shown(arg.Value)}");
            output.WriteLine($"  action {action.GetProperty("name").GetString()}{string.Concat(args)}");
        }

        var ballots = proposal.GetProperty("ballots").EnumerateObject().ToList();
        if (ballots.Count == 0)
        {
            output.WriteLine("  no ballots yet");
        }

        foreach (var ballot in ballots)
        {
            output.WriteLine($"  ballot {ballot.Name}: {(ballot.Value.GetBoolean() ? "accept" : "reject")}");
        }

        if (proposal.TryGetProperty("failureReason", out var reason))
        {
            output.WriteLine($"  failed: {reason.GetString()}");
        }
    }

    private static string Shown(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            // A key set (set_jwt_issuer's jwks) is an object of a few kilobytes.
            var raw = value.GetRawText();
            return raw.Length <= MaxShownValueChars ? raw : $"(JSON {value.ValueKind.ToString().ToLowerInvariant()}, {raw.Length} characters)";
        }

        var text = value.GetString()!;
        return text.Length <= MaxShownValueChars && !text.Contains('\n', StringComparison.Ordinal)
            ? text
            : $"({text.Length} characters)";
    }
}
