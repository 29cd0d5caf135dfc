namespace Vellum.Storage.Files;

/// <summary>
/// An in-memory file system that models POSIX durability, for crash tests and simulations.
/// </summary>
/// <remarks>
/// A file's bytes are durable once synced; until then each write is pending. A name created,
/// renamed or deleted is durable once its directory is synced. <see cref="LosePowerAfter"/> makes
/// a chosen mutating operation fail (a write fails part-way), after which every operation fails.
/// <see cref="Restart"/> then yields the disk as a reboot would find it: durable state, plus a
/// prefix of the pending directory operations, plus for each file an arbitrary subset of its
/// pending writes, each kept whole or torn. Randomness comes only from the caller's generator.
/// </remarks>
public sealed class SimulatedFileSystem : IStorageFileSystem
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SimulatedInode> _names;
    private readonly Dictionary<string, SimulatedInode> _durableNames;
    private readonly List<(string Directory, Action<Dictionary<string, SimulatedInode>> Apply)> _pendingDirectoryOperations = [];
    private readonly HashSet<string> _directories = new(StringComparer.Ordinal);
    private readonly HashSet<string> _lockedDirectories = new(StringComparer.Ordinal);
    // The value of MutatingOperations at which the operation in progress loses power.
    private long _operationsBeforePowerLoss = long.MaxValue;
    private bool _powerLost;

    /// <summary>Creates an empty file system.</summary>
    public SimulatedFileSystem()
        : this(new Dictionary<string, SimulatedInode>(StringComparer.Ordinal), [])
    {
    }

    private SimulatedFileSystem(Dictionary<string, SimulatedInode> names, IEnumerable<string> directories)
    {
        _names = names;
        _durableNames = new Dictionary<string, SimulatedInode>(names, StringComparer.Ordinal);
        _directories.UnionWith(directories);
    }

    /// <summary>The number of mutating operations (writes, truncations, syncs, renames, creations, deletions) so far.</summary>
    public long MutatingOperations { get; private set; }

    /// <summary>The number of bytes read so far.</summary>
    public long BytesRead { get; private set; }

    /// <summary>The number of file handles open now.</summary>
    public int OpenHandles { get; private set; }

    /// <summary>The most file handles that were open at once.</summary>
    public int PeakOpenHandles { get; private set; }

    /// <summary>Makes mutating operation number <paramref name="operations"/> (counted from now, from 0) lose power.</summary>
    public void LosePowerAfter(long operations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(operations);
        lock (_gate)
        {
            _operationsBeforePowerLoss = MutatingOperations + operations;
        }
    }

    /// <summary>
    /// Lets operations run again after <see cref="LosePowerAfter"/> stopped them, as if only the
    /// process had died: the page cache (every unsynced write and name) is intact, and the dead
    /// process's directory locks are released, as the kernel releases its flocks.
    /// </summary>
    public void RestartProcess()
    {
        lock (_gate)
        {
            _powerLost = false;
            _operationsBeforePowerLoss = long.MaxValue;
            _lockedDirectories.Clear();
        }
    }

    /// <summary>The disk as a reboot finds it after a power loss (or at any moment), as a new file system.</summary>
    public SimulatedFileSystem Restart(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        lock (_gate)
        {
            var names = new Dictionary<string, SimulatedInode>(_durableNames, StringComparer.Ordinal);
            var keptDirectoryOperations = random.Next(_pendingDirectoryOperations.Count + 1);
            foreach (var operation in _pendingDirectoryOperations.Take(keptDirectoryOperations))
            {
                operation.Apply(names);
            }

            var survivors = new Dictionary<SimulatedInode, SimulatedInode>();
            var rebooted = new Dictionary<string, SimulatedInode>(StringComparer.Ordinal);
            foreach (var (path, inode) in names)
            {
                if (!survivors.TryGetValue(inode, out var survivor))
                {
                    survivor = inode.AfterPowerLoss(random);
                    survivors.Add(inode, survivor);
                }

                rebooted.Add(path, survivor);
            }

            return new SimulatedFileSystem(rebooted, _directories);
        }
    }

    /// <summary>The current bytes of a file, for tests that inspect or damage what was written.</summary>
    public byte[] ReadAllBytes(string path)
    {
        lock (_gate)
        {
            return Find(path).Snapshot();
        }
    }

    /// <summary>Replaces a file's bytes as if they had always been durable, for corruption tests.</summary>
    public void Overwrite(string path, byte[] contents)
    {
        ArgumentNullException.ThrowIfNull(contents);
        lock (_gate)
        {
            Find(path).ReplaceDurably(contents);
        }
    }

    /// <inheritdoc />
    public IStorageFile OpenOrCreate(string path)
    {
        lock (_gate)
        {
            if (_names.TryGetValue(Normalize(path), out var existing))
            {
                return NewHandle(existing);
            }

            Mutate();
            RequireDirectory(path);
            var inode = new SimulatedInode();
            SetName(path, inode);
            return NewHandle(inode);
        }
    }

    /// <inheritdoc />
    public IStorageFile OpenExisting(string path)
    {
        lock (_gate)
        {
            return NewHandle(Find(path));
        }
    }

    /// <inheritdoc />
    public bool FileExists(string path)
    {
        lock (_gate)
        {
            return _names.ContainsKey(Normalize(path));
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ListFiles(string directory)
    {
        lock (_gate)
        {
            var prefix = Normalize(directory) + "/";
            return _names.Keys
                .Where(path => path.StartsWith(prefix, StringComparison.Ordinal) && path.IndexOf('/', prefix.Length) < 0)
                .Select(path => path[prefix.Length..])
                .Order(StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <inheritdoc />
    public bool DirectoryExists(string path)
    {
        lock (_gate)
        {
            return _directories.Contains(Normalize(path));
        }
    }

    /// <inheritdoc />
    public void CreateDirectory(string path)
    {
        lock (_gate)
        {
            // Directories themselves are modelled as always durable; their entries are not.
            var normalized = Normalize(path);
            while (normalized.Length > 0 && _directories.Add(normalized))
            {
                normalized = Parent(normalized);
            }
        }
    }

    /// <inheritdoc />
    public void Rename(string source, string destination)
    {
        lock (_gate)
        {
            Mutate();
            var inode = Find(source);
            RequireDirectory(destination);
            var from = Normalize(source);
            var to = Normalize(destination);
            _names.Remove(from);
            _names[to] = inode;
            _pendingDirectoryOperations.Add((Parent(to), names =>
            {
                names.Remove(from);
                names[to] = inode;
            }
            ));
        }
    }

    /// <inheritdoc />
    public void Delete(string path)
    {
        lock (_gate)
        {
            Mutate();
            var normalized = Normalize(path);
            if (_names.Remove(normalized))
            {
                _pendingDirectoryOperations.Add((Parent(normalized), names => names.Remove(normalized)));
            }
        }
    }

    /// <inheritdoc />
    public void SyncDirectory(string path)
    {
        lock (_gate)
        {
            Mutate();
            var directory = Normalize(path);
            foreach (var operation in _pendingDirectoryOperations.Where(op => op.Directory == directory).ToList())
            {
                operation.Apply(_durableNames);
                _pendingDirectoryOperations.Remove(operation);
            }
        }
    }

    /// <inheritdoc />
    public IDisposable LockDirectory(string directory)
    {
        lock (_gate)
        {
            var normalized = Normalize(directory);
            if (!_lockedDirectories.Add(normalized))
            {
                throw new IOException($"The ledger in {directory} is in use by another process ({directory}/LOCK is locked).");
            }

            return new DirectoryLock(this, normalized);
        }
    }

    internal int Read(SimulatedInode inode, Span<byte> destination, long offset)
    {
        lock (_gate)
        {
            RequirePower();
            var read = inode.Read(destination, offset);
            BytesRead += read;
            return read;
        }
    }

    internal void Write(SimulatedInode inode, ReadOnlySpan<byte> source, long offset)
    {
        lock (_gate)
        {
            RequirePower();
            if (MutatingOperations == _operationsBeforePowerLoss)
            {
                // The machine dies part-way through this write: a prefix may have reached the page cache.
                inode.Write(source[..(source.Length / 2)], offset);
            }

            Mutate();
            inode.Write(source, offset);
        }
    }

    internal void SetLength(SimulatedInode inode, long length)
    {
        lock (_gate)
        {
            Mutate();
            inode.SetLength(length);
        }
    }

    internal void Sync(SimulatedInode inode)
    {
        lock (_gate)
        {
            Mutate();
            inode.Sync();
        }
    }

    internal long Length(SimulatedInode inode)
    {
        lock (_gate)
        {
            return inode.Length;
        }
    }

    private SimulatedFile NewHandle(SimulatedInode inode)
    {
        OpenHandles++;
        PeakOpenHandles = Math.Max(PeakOpenHandles, OpenHandles);
        return new SimulatedFile(this, inode);
    }

    internal void CloseHandle()
    {
        lock (_gate)
        {
            OpenHandles--;
        }
    }

    private void Mutate()
    {
        RequirePower();
        if (MutatingOperations == _operationsBeforePowerLoss)
        {
            _powerLost = true;
            throw new PowerLossException();
        }

        MutatingOperations++;
    }

    private void RequirePower()
    {
        if (_powerLost)
        {
            throw new PowerLossException();
        }
    }

    private SimulatedInode Find(string path) =>
        _names.TryGetValue(Normalize(path), out var inode) ? inode : throw new FileNotFoundException($"No file at {path}.", path);

    private void SetName(string path, SimulatedInode inode)
    {
        var normalized = Normalize(path);
        _names[normalized] = inode;
        _pendingDirectoryOperations.Add((Parent(normalized), names => names[normalized] = inode));
    }

    private void RequireDirectory(string path)
    {
        var parent = Parent(Normalize(path));
        if (parent.Length > 0 && !_directories.Contains(parent))
        {
            throw new DirectoryNotFoundException($"No directory {parent}.");
        }
    }

    private static string Normalize(string path) => path.Replace('\\', '/').TrimEnd('/');

    private static string Parent(string normalizedPath)
    {
        var slash = normalizedPath.LastIndexOf('/');
        return slash <= 0 ? string.Empty : normalizedPath[..slash];
    }

    private sealed class DirectoryLock(SimulatedFileSystem fileSystem, string directory) : IDisposable
    {
        public void Dispose()
        {
            lock (fileSystem._gate)
            {
                fileSystem._lockedDirectories.Remove(directory);
            }
        }
    }
}
