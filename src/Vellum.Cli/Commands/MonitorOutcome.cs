namespace Vellum.Cli.Commands;

/// <summary>What one check of <c>vellum monitor</c> found.</summary>
internal enum MonitorOutcome
{
    /// <summary>The ledger's head extends the remembered one (or is the first seen); the state is up to date.</summary>
    Consistent,

    /// <summary>The check could not be made (the node is unreachable, refuses, or is behind); nothing is known to be wrong.</summary>
    Unchecked,

    /// <summary>Signed evidence that the ledger was rewritten or forked, or a head that does not verify.</summary>
    Alert,
}
