namespace Vellum.Storage.Chunks;

/// <summary>What a record in a chunk file holds. The byte value is part of the stored format.</summary>
internal enum RecordType : byte
{
    /// <summary>One ledger entry, stored as the chunk's format says (<see cref="EntryRecordCodec"/>).</summary>
    Entry = 1,

    /// <summary>The file offset of every entry record of the chunk, in seqno order.</summary>
    EntryOffsets = 2,

    /// <summary>Each index key that occurs in the chunk, with where its seqnos are listed.</summary>
    KeyDirectory = 3,

    /// <summary>The seqnos of every index key, key after key.</summary>
    Postings = 4,

    /// <summary>The last record of a closed chunk: its seqno range and where the other index records are.</summary>
    ChunkTrailer = 5,

    /// <summary>The strings a compact chunk's entries repeat, in the order of their numbers (chunk format 2).</summary>
    Dictionary = 6,
}
