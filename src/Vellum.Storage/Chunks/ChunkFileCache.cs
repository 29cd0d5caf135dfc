using Vellum.Core;
using Vellum.Storage.Files;

namespace Vellum.Storage.Chunks;

/// <summary>
/// The open handles of chunk files, keyed by first seqno so a handle outlives its chunk's
/// rename. At most <c>capacity</c> handles stay open when nobody uses them, least recently used
/// closed first, so a ledger of any length fits the process's file limit. A handle is never
/// closed while a lease on it is held.
/// </summary>
internal sealed class ChunkFileCache(IStorageFileSystem fileSystem, int capacity) : IDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<long, Slot> _slots = [];
    private readonly LinkedList<Slot> _recency = [];
    private bool _disposed;

    /// <summary>The number of handles open now.</summary>
    public int OpenHandles
    {
        get
        {
            lock (_gate)
            {
                return _slots.Count;
            }
        }
    }

    /// <summary>A lease on the chunk's handle, opening <paramref name="path"/> if it is not open.</summary>
    public Lease Open(long firstSeqno, string path)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_slots.TryGetValue(firstSeqno, out var slot))
            {
                slot = Add(firstSeqno, fileSystem.OpenExisting(path));
            }

            return Use(slot);
        }
    }

    /// <summary>Registers a handle the caller opened, and leases it.</summary>
    public Lease Adopt(long firstSeqno, IStorageFile file)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            Invariant.Check(!_slots.ContainsKey(firstSeqno), "a chunk has one handle");
            return Use(Add(firstSeqno, file));
        }
    }

    /// <summary>
    /// Forgets the chunk's handle, whose file is being removed or replaced, so that a later chunk
    /// with the same first seqno gets a handle of its own. A handle still leased is closed when
    /// its last lease is released.
    /// </summary>
    public void Evict(long firstSeqno)
    {
        lock (_gate)
        {
            if (!_slots.Remove(firstSeqno, out var slot))
            {
                return;
            }

            _recency.Remove(slot.Node!);
            slot.Evicted = true;
            if (slot.Users == 0)
            {
                slot.File.Dispose();
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            foreach (var slot in _slots.Values)
            {
                slot.File.Dispose();
            }

            _slots.Clear();
            _recency.Clear();
        }
    }

    private Slot Add(long firstSeqno, IStorageFile file)
    {
        var slot = new Slot(firstSeqno, file);
        _slots.Add(firstSeqno, slot);
        slot.Node = _recency.AddFirst(slot);
        return slot;
    }

    private Lease Use(Slot slot)
    {
        slot.Users++;
        _recency.Remove(slot.Node!);
        _recency.AddFirst(slot.Node!);
        return new Lease(this, slot);
    }

    private void Release(Slot slot)
    {
        lock (_gate)
        {
            slot.Users--;
            if (slot.Evicted)
            {
                if (slot.Users == 0)
                {
                    slot.File.Dispose();
                }

                return;
            }

            if (_disposed)
            {
                return;
            }

            // Close idle handles from the least recently used end; busy ones wait for their last user.
            var node = _recency.Last;
            while (_slots.Count > capacity && node is not null)
            {
                var previous = node.Previous;
                if (node.Value.Users == 0)
                {
                    _recency.Remove(node);
                    _slots.Remove(node.Value.FirstSeqno);
                    node.Value.File.Dispose();
                }

                node = previous;
            }
        }
    }

    /// <summary>The use of a chunk's handle; dispose it when done.</summary>
    public readonly struct Lease : IDisposable
    {
        private readonly ChunkFileCache _cache;
        private readonly Slot _slot;

        internal Lease(ChunkFileCache cache, Slot slot)
        {
            _cache = cache;
            _slot = slot;
        }

        public IStorageFile File => _slot.File;

        public void Dispose() => _cache?.Release(_slot);
    }

    internal sealed class Slot(long firstSeqno, IStorageFile file)
    {
        public long FirstSeqno { get; } = firstSeqno;

        public IStorageFile File { get; } = file;

        public int Users { get; set; }

        /// <summary>Set once the cache forgot the slot; the last lease closes the handle.</summary>
        public bool Evicted { get; set; }

        public LinkedListNode<Slot>? Node { get; set; }
    }
}
