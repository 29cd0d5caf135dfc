namespace Vellum.Node.Access;

/// <summary>
/// One entry of the reserved collection <c>vellum:access</c>: the <see cref="AccessChange"/>s of one
/// request, applied all or nothing, in order, each to the state the ones before it leave. The
/// entry's contents are the record's compact UTF-8 JSON (<see cref="ToJson"/>); at startup the node
/// replays the records in seqno order.
/// <para>The record format. A record of one change is a version 1 object: the change's fields and
/// <c>"v":1</c>. A record of several changes is a version 2 object, <c>{"v":2,"changes":[C,…]}</c>,
/// holding 2 to <see cref="AccessLimits.MaxChangesPerRecord"/> change objects <c>C</c>, each a
/// change's fields without <c>v</c>, for example
/// <c>{"v":2,"changes":[{"change":"setRole","role":"teller","actions":["/a"]},{"change":"setRole","role":"manager","actions":["/a","/b"]}]}</c>.
/// One change is always written as version 1, so a node of an earlier build, which knows version
/// 1 only, still reads every record of one change; it cannot read a version 2 record. Every object
/// has exactly the fields of its kind; unknown fields (<c>v</c> inside a change included),
/// duplicate keys, other versions, a version 2 record of fewer than 2 changes and non-canonical
/// values are refused. The changes:</para>
/// <list type="bullet">
/// <item><c>{"v":1,"change":"setUserRoles","userId":U,"roles":[R,…]}</c>: the user holds exactly these
/// roles, in this order (added if absent). At least one role, no duplicates.</item>
/// <item><c>{"v":1,"change":"removeUser","userId":U}</c>: the user no longer exists.</item>
/// <item><c>{"v":1,"change":"setRole","role":R,"actions":[A,…]}</c>: the custom role grants exactly
/// these actions (created if absent). At least one action, no duplicates.</item>
/// <item><c>{"v":1,"change":"removeRole","role":R}</c>: the custom role no longer exists.</item>
/// </list>
/// <para><c>v</c> is the integer 1 or 2. <c>U</c> is a user id in canonical form (<see cref="UserId.Canonical"/>:
/// 64 lowercase hex digits for a certificate user, otherwise the lowercased id). <c>R</c> is a role
/// name, built-in names capitalised (<c>Administrator</c>, <c>Contributor</c>, <c>Reader</c>),
/// custom names exactly as defined. <c>A</c> is an action string. Strings use JSON escapes only
/// where JSON requires them.</para>
/// </summary>
public sealed class AccessRecord
{
    /// <summary>A record of <paramref name="changes"/>, in order.</summary>
    /// <exception cref="ArgumentException">There are no changes, or more than <see cref="AccessLimits.MaxChangesPerRecord"/>.</exception>
    public AccessRecord(IEnumerable<AccessChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var list = new List<AccessChange>();
        foreach (var change in changes)
        {
            ArgumentNullException.ThrowIfNull(change, nameof(changes));
            list.Add(change);
        }

        if (list.Count is 0 or > AccessLimits.MaxChangesPerRecord)
        {
            throw new ArgumentException($"An access record holds 1 to {AccessLimits.MaxChangesPerRecord} changes, not {list.Count}.", nameof(changes));
        }

        Changes = list.AsReadOnly();
    }

    /// <summary>The changes, in the order they apply; at least one.</summary>
    public IReadOnlyList<AccessChange> Changes { get; }

    /// <summary>Parses a record written by <see cref="ToJson"/>, of either version, strictly.</summary>
    /// <exception cref="AccessFormatException">The bytes are not a well-formed record; the message says why.</exception>
    public static AccessRecord Parse(ReadOnlySpan<byte> utf8) => AccessChangeJson.Parse(utf8);

    /// <summary>
    /// The record as compact UTF-8 JSON, the contents of its ledger entry. Only changes whose
    /// shape is valid may be written (validate them first): a record that replay would refuse must
    /// never reach the ledger.
    /// </summary>
    /// <exception cref="Core.InvariantViolationException">A change's names or bounds are invalid.</exception>
    public byte[] ToJson()
    {
        var problem = FindShapeProblem();
        Core.Invariant.Check(problem is null, $"only well-formed access changes are serialised: {problem?.Message}");
        return AccessChangeJson.Write(Changes);
    }

    /// <summary>The record's JSON text, or how many changes it holds and what is wrong with the first bad one.</summary>
    public override string ToString()
    {
        var problem = FindShapeProblem();
        return problem is null
            ? System.Text.Encoding.UTF8.GetString(AccessChangeJson.Write(Changes))
            : $"access record of {Changes.Count} change(s) ({problem.Code}: {problem.Message})";
    }

    private AccessRejection? FindShapeProblem()
    {
        foreach (var change in Changes)
        {
            if (change.FindShapeProblem() is { } problem)
            {
                return problem;
            }
        }

        return null;
    }
}
