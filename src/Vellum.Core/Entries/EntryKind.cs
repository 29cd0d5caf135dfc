namespace Vellum.Core.Entries;

/// <summary>What a ledger entry records. The byte value is part of the stored format.</summary>
public enum EntryKind : byte
{
    /// <summary>An application write: a collection id, tags and contents.</summary>
    Write = 1,

    /// <summary>A signature transaction: the Merkle root over every earlier entry, signed by a node.</summary>
    Signature = 2,

    /// <summary>
    /// An application write in a private ledger: the collection id and tags in the clear, the
    /// claim secret and contents sealed with AES-256-GCM under a ledger secret (docs/storage-format.md).
    /// </summary>
    PrivateWrite = 3,
}
