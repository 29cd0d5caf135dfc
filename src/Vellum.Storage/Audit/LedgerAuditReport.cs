using Vellum.Core.Entries;
using Vellum.Core.Identity;

namespace Vellum.Storage.Audit;

/// <summary>What an audit read and found.</summary>
public sealed record LedgerAuditReport
{
    /// <summary>The first problem found, or null when the ledger checks.</summary>
    public LedgerAuditFailure? Failure { get; init; }

    /// <summary>Whether the ledger checks.</summary>
    public bool IsValid => Failure is null;

    /// <summary>The entries audited, signatures included: seqnos 1 to the last signature.</summary>
    public long Entries { get; init; }

    /// <summary>The signature transactions among them.</summary>
    public long Signatures { get; init; }

    /// <summary>The chunk files read.</summary>
    public int Chunks { get; init; }

    /// <summary>The bytes of the chunk files read.</summary>
    public long Bytes { get; init; }

    /// <summary>The distinct views (terms) the entries were written in.</summary>
    public long Views { get; init; }

    /// <summary>The entries of an open chunk after its last signature, which no signature covers and which were not audited.</summary>
    public long UnsignedEntries { get; init; }

    /// <summary>The last signature: it signs the root of the tree over every audited entry before it.</summary>
    public SignatureEntry? LastSignature { get; init; }

    /// <summary>The service identities the ledger's signers chain to, oldest first; empty when no service certificate was given.</summary>
    public IReadOnlyList<ServiceEra> ServiceEras { get; init; } = [];
}
