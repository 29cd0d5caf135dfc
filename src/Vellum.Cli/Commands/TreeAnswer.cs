namespace Vellum.Cli.Commands;

/// <summary>What a tree route answered: the parsed value, or why there is none and the node's error code if it gave one.</summary>
internal sealed class TreeAnswer<T>
    where T : class
{
    private TreeAnswer(T? value, string? errorCode, string? problem)
    {
        Value = value;
        ErrorCode = errorCode;
        Problem = problem;
    }

    /// <summary>The answer, or null when the call failed.</summary>
    public T? Value { get; }

    /// <summary>The node's error code (such as <c>TreeHeadNotFound</c>), or null.</summary>
    public string? ErrorCode { get; }

    /// <summary>Why there is no value, in a sentence; null when there is one.</summary>
    public string? Problem { get; }

    public static TreeAnswer<T> Answered(T value) => new(value, null, null);

    public static TreeAnswer<T> Failed(string? errorCode, string problem) => new(null, errorCode, problem);
}
