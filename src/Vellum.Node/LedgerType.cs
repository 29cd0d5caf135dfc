namespace Vellum.Node;

/// <summary>Whether entry contents are stored in the clear or encrypted; fixed when the ledger is created.</summary>
public enum LedgerType
{
    /// <summary>Contents are stored as written; anyone holding the files can read them.</summary>
    Public,

    /// <summary>Contents are encrypted at rest under the ledger secret.</summary>
    Private,
}
