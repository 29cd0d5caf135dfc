namespace Vellum.Node;

/// <summary>A node cannot start for a reason the operator can fix; the message says which.</summary>
public sealed class NodeStartException : Exception
{
    /// <summary>Creates the exception with the operator-facing message.</summary>
    public NodeStartException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the operator-facing message and its cause.</summary>
    public NodeStartException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public NodeStartException()
    {
    }
}
