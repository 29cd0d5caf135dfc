namespace Vellum.Core.Encryption;

/// <summary>What <see cref="LedgerSecretChain.Unwind"/> recovers from the latest ledger secret.</summary>
/// <param name="Secrets">Every ledger secret, by version from 0, each with its start seqno; the caller disposes them.</param>
/// <param name="ServiceSecret">The service secret (32 bytes), which commit evidence and claim secrets are derived from.</param>
public sealed record UnwoundSecrets(IReadOnlyList<LedgerSecret> Secrets, byte[] ServiceSecret);
