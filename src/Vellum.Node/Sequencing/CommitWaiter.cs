namespace Vellum.Node.Sequencing;

/// <summary>A waiter that only learns that its entry committed.</summary>
internal sealed class CommitWaiter() : TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), ICommitWaiter
{
    public void Committed() => TrySetResult();

    public void Fail(Exception exception) => TrySetException(exception);
}
