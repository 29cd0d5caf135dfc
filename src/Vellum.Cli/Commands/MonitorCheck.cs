using Vellum.Core.TreeHeads;

namespace Vellum.Cli.Commands;

/// <summary>
/// One check of <c>vellum monitor</c>: fetch the node's latest committed head, verify it against
/// the service certificate, prove that it extends the remembered head, and remember it. The
/// remembered head is trusted as it is (it was verified when stored, perhaps against the
/// certificate of a service since recovered), so only its tree size and root are used.
/// </summary>
internal sealed class MonitorCheck(NodeApiClient client, string servicePem, string statePath, TextWriter output, TextWriter error)
{
    public async Task<MonitorOutcome> RunAsync(CancellationToken cancellationToken)
    {
        if (!MonitorState.TryRead(statePath, out var remembered, out var problem))
        {
            return Unchecked(problem);
        }

        var headAnswer = await TreeApi.HeadAsync(client, treeSize: null, cancellationToken);
        if (headAnswer.Value is not { } current)
        {
            return Unchecked(headAnswer.Problem!);
        }

        var verified = TreeHeadVerifier.Verify(current, servicePem);
        if (!verified.IsValid)
        {
            return Alert($"the node's latest head does not verify against the service certificate: {verified.Reason}", remembered, current);
        }

        if (remembered is null)
        {
            return Remember(current, $"ok: remembered the first head, {current}");
        }

        if (current.TreeSize == remembered.TreeSize)
        {
            return current.Root == remembered.Root
                ? Report($"ok: unchanged at {current}")
                : Alert($"the node signs a different root for tree size {current.TreeSize}: the ledger was rewritten", remembered, current);
        }

        return current.TreeSize < remembered.TreeSize
            ? await CheckBehindAsync(remembered, current, cancellationToken)
            : await CheckGrowthAsync(remembered, current, cancellationToken);
    }

    private async Task<MonitorOutcome> CheckGrowthAsync(SignedTreeHead remembered, SignedTreeHead current, CancellationToken cancellationToken)
    {
        var answer = await TreeApi.ConsistencyAsync(client, remembered.TreeSize, current.TreeSize, cancellationToken);
        if (answer.Value is not { } consistency)
        {
            return answer.ErrorCode == TreeApi.TreeHeadNotFound
                ? Alert($"the ledger has no signed head of the remembered tree size any more ({answer.Problem})", remembered, current)
                : Unchecked(answer.Problem!);
        }

        var from = consistency.From;
        if (from.TreeSize != remembered.TreeSize || consistency.To.TreeSize != current.TreeSize)
        {
            return Unchecked($"asked for a proof from tree size {remembered.TreeSize} to {current.TreeSize}, the node answered from {from.TreeSize} to {consistency.To.TreeSize}");
        }

        if (from.Root != remembered.Root)
        {
            return Alert($"the node signs a different root for the remembered tree size {from.TreeSize}, {from.Root}: the ledger was rewritten", remembered, current);
        }

        var extension = TreeHeadVerifier.VerifyExtension(remembered, consistency.To, consistency.Proof, servicePem);
        if (!extension.IsValid)
        {
            return Alert($"{extension.Reason} ({extension.FailedCheck} check)", remembered, current);
        }

        if (consistency.To.Root != current.Root)
        {
            return Alert($"the node signs two roots for tree size {current.TreeSize}, {current.Root} and {consistency.To.Root}", remembered, current);
        }

        return Remember(current, $"ok: {remembered} grew to {current}, consistently");
    }

    // A node whose latest committed head is older than the remembered one is either behind (a
    // backup, or a node just restarted) or truncated: only the remembered head itself tells.
    private async Task<MonitorOutcome> CheckBehindAsync(SignedTreeHead remembered, SignedTreeHead current, CancellationToken cancellationToken)
    {
        var answer = await TreeApi.HeadAsync(client, remembered.TreeSize, cancellationToken);
        if (answer.Value is { } stillThere)
        {
            return stillThere.Root == remembered.Root
                ? Report($"ok: {client.Target.Authority} reports an older head, {current}, but still serves the remembered one")
                : Alert($"the node signs a different root for the remembered tree size {remembered.TreeSize}: the ledger was rewritten", remembered, stillThere);
        }

        return answer.ErrorCode == TreeApi.TreeHeadNotFound
            ? Alert($"the tree shrank: the latest head is smaller and the ledger has no signed head of the remembered size ({answer.Problem})", remembered, current)
            : Unchecked($"{client.Target.Authority} is behind the remembered head, {remembered}: {answer.Problem}");
    }

    private MonitorOutcome Remember(SignedTreeHead head, string message)
    {
        try
        {
            MonitorState.Write(statePath, head);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Unchecked($"the head verified, but the state file \"{statePath}\" cannot be written: {exception.Message}");
        }

        return Report(message);
    }

    private MonitorOutcome Report(string message)
    {
        output.WriteLine(message);
        return MonitorOutcome.Consistent;
    }

    private MonitorOutcome Unchecked(string problem)
    {
        error.WriteLine($"error: {problem}");
        return MonitorOutcome.Unchecked;
    }

    private MonitorOutcome Alert(string reason, SignedTreeHead? remembered, SignedTreeHead current)
    {
        error.WriteLine($"ALERT: {client.Target.Authority}: {reason}.");
        error.WriteLine($"  remembered head: {(remembered is null ? "none" : remembered.ToString())} (in {statePath}, left unchanged)");
        error.WriteLine($"  node's head:     {current}");
        return MonitorOutcome.Alert;
    }
}
