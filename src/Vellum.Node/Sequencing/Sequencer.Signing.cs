using Vellum.Consensus;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Storage;

namespace Vellum.Node.Sequencing;

/// <summary>When the sequencer signs, and the signing itself.</summary>
internal sealed partial class Sequencer
{
    /// <summary>
    /// Whether signing can wait because the last signature is still buffered, not yet taken by
    /// the flusher, and nobody waits for commit on an entry after it. A second signature in the
    /// same flush would commit those entries sooner only for someone waiting; for the rest it
    /// costs a signature, its verification and its bytes on disk. The next one is made once the
    /// flusher has taken this one (which the loop sees on its next turn), once someone waits,
    /// or once this one is durable, when the loop is woken for it.
    /// </summary>
    private bool SignatureAwaitsFlush()
    {
        // Marked deferred before looking for waiters, and a waiter is recorded before it looks at
        // the mark (each side with a full fence between): so one of the two sees the other.
        Interlocked.Exchange(ref _signingDeferred, 1);
        var last = _lastSignatureSeqno;
        if (last == 0 || last > _ledger.LastSeqno || last <= _ledger.FlushTakenSeqno || Commits.HighestAwaited > last)
        {
            return false;
        }

        if (_wakeArmedFor != last)
        {
            _wakeArmedFor = last;
            _ = WakeWhenDurableAsync(last);
        }

        return true;
    }

    private void WakeIfSigningDeferred(long seqno)
    {
        if (seqno > Volatile.Read(ref _lastSignatureSeqno) && Interlocked.Exchange(ref _signingDeferred, 0) == 1)
        {
            _queue.Writer.TryWrite(PendingWrite.Wake);
        }
    }

    private async Task WakeWhenDurableAsync(long seqno)
    {
        try
        {
            await _ledger.WaitDurableAsync(seqno);
        }
        catch (Exception exception) when (exception is LedgerTruncatedException or LedgerFaultedException or ObjectDisposedException)
        {
            // The loop wakes either way: it signs what is unsigned, or finds the ledger failed.
        }

        _queue.Writer.TryWrite(PendingWrite.Wake);
    }

    private bool SignatureDue()
        => _unsignedEntries >= _cadence.MaxUnsignedEntries || _time.GetElapsedTime(_firstUnsignedTimestamp) >= _cadence.MaxInterval;

    private void Sign()
    {
        var id = new TransactionId(_replica.Term, _ledger.LastSeqno + 1);
        var root = _ledger.RootAt(_ledger.TreeSize);
        var header = new EntryHeader(EntryKind.Signature, id, _evidence.DeriveDigest(id), Sha256Hash.Zero);
        var entry = EntryCodec.EncodeSignature(header, root, _node.SignRoot(root), _node.Certificate.RawData);
        var result = _replica.Propose(new ReplicatedEntry(id.View, LogEntryKind.Signature, entry), out _);

        // A deposed primary's unsigned entries are rolled back by the new term; nothing to do here.
        Invariant.Check(result is ProposeResult.Accepted or ProposeResult.NotLeader, "signatures are never refused for capacity");

        _unsignedEntries = 0;
        _unsignedBytes = 0;
        Volatile.Write(ref _lastSignatureSeqno, id.Seqno);
        Volatile.Write(ref _signingDeferred, 0);
    }
}
