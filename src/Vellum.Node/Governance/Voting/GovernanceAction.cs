using System.Text.Json;

namespace Vellum.Node.Governance.Voting;

/// <summary>One action of a proposal, <c>{"name": ..., "args": {...}}</c> as in CCF; see <see cref="GovernanceActions"/> for the names.</summary>
/// <param name="Name">The action's name.</param>
/// <param name="Args">Its arguments, a JSON object (owned: cloned from the proposal's document).</param>
internal sealed record GovernanceAction(string Name, JsonElement Args)
{
    /// <summary>Refuses an argument the action does not take (<see cref="GovernanceActions.Arguments"/>).</summary>
    /// <exception cref="GovernanceException">An argument is not one the action takes.</exception>
    public void RequireKnownArguments()
    {
        var known = GovernanceActions.Arguments[Name];
        foreach (var argument in Args.EnumerateObject())
        {
            if (!known.Contains(argument.Name, StringComparer.Ordinal))
            {
                var takes = known.Length == 0 ? "none" : string.Join(", ", known.Select(name => $"\"{name}\""));
                throw GovernanceException.Invalid($"{Name} takes no \"{argument.Name}\"; the arguments it takes: {takes}.");
            }
        }
    }

    /// <summary>The string argument <paramref name="name"/>.</summary>
    /// <exception cref="GovernanceException">It is missing or not a non-empty string.</exception>
    public string String(string name) =>
        Args.TryGetProperty(name, out var value) && JsonStrings.TryGet(value, out var text) && text.Length > 0
            ? text
            : throw GovernanceException.Invalid($"The action {Name} needs a non-empty string \"{name}\" of valid Unicode text.");

    /// <summary>The optional string argument <paramref name="name"/>.</summary>
    /// <exception cref="GovernanceException">It is present but not a string.</exception>
    public string? OptionalString(string name) =>
        !Args.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : JsonStrings.TryGet(value, out var text) ? text
        : throw GovernanceException.Invalid($"The action {Name} takes \"{name}\" as a string of valid Unicode text.");

    /// <summary>The integer argument <paramref name="name"/>.</summary>
    /// <exception cref="GovernanceException">It is missing or not an integer.</exception>
    public int Integer(string name) =>
        Args.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : throw GovernanceException.Invalid($"The action {Name} needs an integer \"{name}\".");
}
