namespace Vellum.Node;

/// <summary>The node cannot serve the request now: it is stopping, or its ledger failed (503).</summary>
public sealed class NodeUnavailableException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public NodeUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public NodeUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public NodeUnavailableException()
        : base("The node is unavailable.")
    {
    }
}
