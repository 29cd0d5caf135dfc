namespace Vellum.Node.Recovery;

/// <summary>A recovering node waiting for members' shares: where to submit them, and how many are needed of how many.</summary>
/// <param name="Address">The node's API address.</param>
/// <param name="Threshold">How many members' shares recover the ledger.</param>
/// <param name="Holders">How many members hold a share.</param>
public sealed record RecoveryWait(Uri Address, int Threshold, int Holders);
