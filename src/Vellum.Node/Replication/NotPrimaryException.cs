namespace Vellum.Node.Replication;

/// <summary>A write reached a node that is not the primary; the API redirects the caller to the primary when it knows it.</summary>
internal sealed class NotPrimaryException(string? primaryApiAddress)
    : Exception(primaryApiAddress is null ? "This node is not the primary, and no primary is known now." : $"This node is not the primary; the primary is {primaryApiAddress}.")
{
    /// <summary>The primary's API address, <c>host:port</c>, when known.</summary>
    public string? PrimaryApiAddress { get; } = primaryApiAddress;
}
