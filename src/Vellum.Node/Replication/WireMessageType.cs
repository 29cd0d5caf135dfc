namespace Vellum.Node.Replication;

/// <summary>The message type byte of a frame. Zero is never valid, so a zeroed frame is caught.</summary>
internal enum WireMessageType : byte
{
    /// <summary>The first frame on every connection: who is calling whom.</summary>
    Hello = 1,

    /// <summary>A <see cref="Consensus.Messages.PreVoteRequest"/>.</summary>
    PreVoteRequest = 2,

    /// <summary>A <see cref="Consensus.Messages.PreVoteResponse"/>.</summary>
    PreVoteResponse = 3,

    /// <summary>A <see cref="Consensus.Messages.VoteRequest"/>.</summary>
    VoteRequest = 4,

    /// <summary>A <see cref="Consensus.Messages.VoteResponse"/>.</summary>
    VoteResponse = 5,

    /// <summary>An <see cref="Consensus.Messages.AppendEntriesRequest"/>.</summary>
    AppendEntriesRequest = 6,

    /// <summary>An <see cref="Consensus.Messages.AppendEntriesResponse"/>.</summary>
    AppendEntriesResponse = 7,
}
