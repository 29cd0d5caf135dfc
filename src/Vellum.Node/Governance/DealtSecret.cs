namespace Vellum.Node.Governance;

/// <summary>
/// The secret a deal of recovery shares protects. A private ledger's members recover its latest
/// ledger secret, and from it every earlier one and the service secret; a public ledger has no
/// ledger secret, so its members recover the service secret, which derives every entry's commit
/// evidence and claim secret (docs/governance.md, "Recovery shares").
/// </summary>
internal enum DealtSecret
{
    /// <summary>The latest ledger secret of a private ledger.</summary>
    Ledger,

    /// <summary>The service secret of a public ledger.</summary>
    Service,
}
