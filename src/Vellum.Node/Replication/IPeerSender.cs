using Vellum.Consensus.Messages;

namespace Vellum.Node.Replication;

/// <summary>Sends consensus messages to other nodes without blocking; a message may be lost, and consensus copes.</summary>
internal interface IPeerSender
{
    /// <summary>Queues <paramref name="message"/> for its receiver; false when it was dropped at once.</summary>
    bool Send(RaftMessage message);
}
