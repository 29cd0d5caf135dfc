namespace Vellum.Core.Recovery;

/// <summary>Why the ledger secret could not be recovered from the shares given.</summary>
public enum RecoveryFailure
{
    /// <summary>Fewer distinct shares than the deal's threshold were given.</summary>
    TooFewShares = 1,

    /// <summary>Two shares with the same x coordinate were given.</summary>
    DuplicateShare,

    /// <summary>A share belongs to another deal (an older one, or another ledger's) or does not fit this one.</summary>
    ShareFromAnotherDeal,

    /// <summary>A share is for another member's key, or its ciphertext was altered.</summary>
    ShareDidNotDecrypt,

    /// <summary>
    /// Enough well-formed shares of this deal were given, but the key they combine to does not
    /// authenticate the encrypted ledger secret (AES-GCM tag mismatch): a share's value is wrong,
    /// or the encrypted secret was altered.
    /// </summary>
    SecretDidNotDecrypt,
}
