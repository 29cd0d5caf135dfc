using Vellum.Consensus;
using Vellum.Core;
using Vellum.Core.Entries;

namespace Vellum.Node.Sequencing;

/// <summary>When the sequencer signs, and the signing itself.</summary>
internal sealed partial class Sequencer
{
    /// <summary>
    /// Whether signing can wait, now that the queue ran dry: it can unless a writer waits for
    /// commit on an entry after the last signature. Entries nobody waits for are signed once the
    /// cadence's interval has passed since the first of them (the loop is woken for it), or
    /// sooner by the next writer who waits, the cadence's entry bound or the unsigned-bytes bound.
    /// A signature costs a signing, a verification on every node and about 190 bytes on disk,
    /// and only a writer waiting for commit gains from having it sooner.
    /// </summary>
    private bool SigningCanWait()
    {
        // Marked deferred before looking for waiters, and a waiter is recorded before it looks at
        // the mark (each side with a full fence between): so one of the two sees the other.
        Interlocked.Exchange(ref _signingDeferred, 1);
        if (Commits.HighestAwaited > _lastSignatureSeqno)
        {
            return false;
        }

        if (Interlocked.Exchange(ref _intervalWakeArmed, 1) == 0)
        {
            _ = WakeAfterAsync(_cadence.MaxInterval - _time.GetElapsedTime(_firstUnsignedTimestamp));
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

    /// <summary>
    /// Wakes the loop after <paramref name="delay"/>, when the unsigned entries' interval is up.
    /// It disarms first, so that a timer firing a little early lets the loop arm the next; a wake
    /// after the entries were signed finds nothing due.
    /// </summary>
    private async Task WakeAfterAsync(TimeSpan delay)
    {
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _time);
        }

        Volatile.Write(ref _intervalWakeArmed, 0);
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
