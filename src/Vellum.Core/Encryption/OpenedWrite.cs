using Vellum.Core.Entries;

namespace Vellum.Core.Encryption;

/// <summary>A private write opened with its ledger secret.</summary>
/// <param name="Write">The entry, with its contents in the clear.</param>
/// <param name="ClaimSecret">The secret key of the entry's <c>LedgerEntryV1</c> claim, sealed with its contents.</param>
public sealed record OpenedWrite(WriteEntry Write, byte[] ClaimSecret);
