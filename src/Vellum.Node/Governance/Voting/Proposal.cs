using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Vellum.Core;

namespace Vellum.Node.Governance.Voting;

/// <summary>
/// A proposal put to the consortium: its actions, the member who made it, the ballots cast, and
/// where it stands. Its body is <c>{"actions":[{"name":"...","args":{...}}, ...]}</c>, as in CCF.
/// </summary>
internal sealed class Proposal
{
    /// <summary>The most actions one proposal may carry.</summary>
    public const int MaxActions = 32;

    /// <summary>The deepest nesting of a proposal body read, JSON's default; its <c>propose</c> record is one level deeper (<see cref="GovernanceRecord.MaxDepth"/>).</summary>
    public const int MaxBodyDepth = 64;

    private readonly Dictionary<string, bool> _ballots = new(StringComparer.Ordinal);

    public Proposal(string id, string proposerId, IReadOnlyList<GovernanceAction> actions)
    {
        Id = id;
        ProposerId = proposerId;
        Actions = actions;
    }

    /// <summary>SHA-256 of the body and the transaction that recorded it, lower-case hex: two identical bodies proposed twice are two proposals.</summary>
    public string Id { get; }

    public string ProposerId { get; }

    public IReadOnlyList<GovernanceAction> Actions { get; }

    /// <summary>Each member's ballot: true in favour, false against. Ballots are final.</summary>
    public IReadOnlyDictionary<string, bool> Ballots => _ballots;

    public ProposalState State { get; internal set; } = ProposalState.Open;

    /// <summary>Why the proposal failed, when <see cref="State"/> is <see cref="ProposalState.Failed"/>.</summary>
    public string? FailureReason { get; internal set; }

    /// <summary>The id of a proposal with <paramref name="body"/> recorded in transaction <paramref name="recordedIn"/>.</summary>
    public static string IdFor(ReadOnlySpan<byte> body, TransactionId recordedIn)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(body);
        hash.AppendData(Encoding.ASCII.GetBytes("@" + recordedIn));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// The actions of a proposal body, checked for form and known names (not yet against the
    /// state). With <paramref name="onlyKnownMembers"/>, as for a new proposal, a member other
    /// than <c>actions</c> in the body, or than <c>name</c> and <c>args</c> in an action, is refused
    /// too; records already in a ledger are read without that check, so that older ones replay.
    /// </summary>
    /// <exception cref="GovernanceException">The body is not a proposal.</exception>
    public static IReadOnlyList<GovernanceAction> ParseActions(ReadOnlySpan<byte> body, bool onlyKnownMembers = false)
    {
        try
        {
            using var document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = MaxBodyDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("actions", out var actions)
                || actions.ValueKind != JsonValueKind.Array)
            {
                throw GovernanceException.Invalid("A proposal is {\"actions\":[{\"name\":...,\"args\":{...}}]}.");
            }

            var count = actions.GetArrayLength();
            if (count is 0 or > MaxActions)
            {
                throw GovernanceException.Invalid($"A proposal carries 1 to {MaxActions} actions, not {count}.");
            }

            if (onlyKnownMembers)
            {
                RequireOnly(document.RootElement, "the proposal", "actions");
                foreach (var action in actions.EnumerateArray().Where(action => action.ValueKind == JsonValueKind.Object))
                {
                    RequireOnly(action, "an action", "name", "args");
                }
            }

            return [.. actions.EnumerateArray().Select(ParseAction)];
        }
        catch (JsonException exception)
        {
            throw GovernanceException.Invalid($"The proposal is not JSON: {exception.Message}");
        }
    }

    internal void Record(string memberId, bool inFavour)
    {
        if (!_ballots.TryAdd(memberId, inFavour))
        {
            throw GovernanceException.AlreadyVoted(memberId, this);
        }
    }

    private static void RequireOnly(JsonElement element, string what, params string[] members)
    {
        foreach (var member in element.EnumerateObject())
        {
            if (!members.Any(member.NameEquals))
            {
                var name = JsonStrings.TryGetName(member, out var text) ? text : "(not valid Unicode text)";
                var shown = name.Length <= 64 ? name : name[..64] + "…";
                throw GovernanceException.Invalid($"{char.ToUpperInvariant(what[0])}{what[1..]} has no member \"{shown}\"; its members are {string.Join(" and ", members.Select(name => $"\"{name}\""))}.");
            }
        }
    }

    private static GovernanceAction ParseAction(JsonElement action)
    {
        if (action.ValueKind != JsonValueKind.Object
            || !action.TryGetProperty("name", out var name)
            || !JsonStrings.TryGet(name, out var actionName))
        {
            throw GovernanceException.Invalid($"Each action needs a \"name\", one of: {string.Join(", ", GovernanceActions.Names)}.");
        }

        if (!GovernanceActions.IsKnown(actionName))
        {
            var shown = actionName.Length <= 64 ? actionName : actionName[..64] + "…";
            throw GovernanceException.Invalid($"There is no action \"{shown}\"; the actions are: {string.Join(", ", GovernanceActions.Names)}.");
        }

        var args = action.TryGetProperty("args", out var given) ? given : default;
        if (args.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined))
        {
            throw GovernanceException.Invalid($"The \"args\" of {actionName} must be an object.");
        }

        return new GovernanceAction(actionName, args.ValueKind == JsonValueKind.Undefined ? JsonDocument.Parse("{}").RootElement.Clone() : args.Clone());
    }
}
