namespace Vellum.Node.Replication;

/// <summary>
/// A frame from a peer does not follow the replication wire format: it is truncated, too large,
/// of an unknown version or type, or carries a field out of range. The connection it came on is
/// closed, since nothing after a bad frame can be trusted to start at a frame boundary.
/// </summary>
public sealed class MalformedFrameException : FormatException
{
    /// <summary>Creates the exception with a description of what is wrong.</summary>
    public MalformedFrameException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a description and the failure that revealed it.</summary>
    public MalformedFrameException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic description.</summary>
    public MalformedFrameException()
        : base("The frame is malformed.")
    {
    }
}
