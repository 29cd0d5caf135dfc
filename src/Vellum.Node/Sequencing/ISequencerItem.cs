namespace Vellum.Node.Sequencing;

/// <summary>What the sequencer's queue holds: a single write or a batch of writes appended together.</summary>
internal interface ISequencerItem
{
    /// <summary>How many ledger entries the item asks for, signatures not counted.</summary>
    int WriteCount { get; }

    /// <summary>Fails the item's caller with <paramref name="exception"/> unless it already has an outcome.</summary>
    void Fail(Exception exception);
}
