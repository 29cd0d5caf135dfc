namespace Vellum.Core.Entries;

/// <summary>What a ledger entry records. The byte value is part of the stored format.</summary>
public enum EntryKind : byte
{
    /// <summary>An application write: a collection id, tags and contents.</summary>
    Write = 1,

    /// <summary>A signature transaction: the Merkle root over every earlier entry, signed by a node.</summary>
    Signature = 2,
}
