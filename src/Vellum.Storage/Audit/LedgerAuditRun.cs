using System.Text;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Identity;
using Vellum.Core.Merkle;
using Vellum.Core.Recovery;
using Vellum.Storage.Chunks;
using Vellum.Storage.Files;

namespace Vellum.Storage.Audit;

/// <summary>
/// One audit's state: the Merkle tree recomputed from the entries (its frontier only, for the roots),
/// the signatures seen and the changes of service identity, whose endorsements are checked once
/// every record is known, since a recovery's record comes after the signatures it vouches for.
/// </summary>
internal sealed class LedgerAuditRun(LedgerAuditOptions options) : IDisposable
{
    // Chunks are read one after the other: two handles are enough.
    private const int MaxOpenFiles = 2;
    private static readonly byte[] ServiceCollection = Encoding.UTF8.GetBytes(ServiceChange.Collection);

    private readonly ChunkFileCache _files = new(DiskFileSystem.ReadOnly, MaxOpenFiles);
    private readonly MerkleTree _tree = new(new RootOnlyNodeStore());
    private readonly List<(TransactionId Id, int Certificate, string Path, long Offset)> _signatures = [];
    private readonly List<byte[]> _certificates = [];
    private readonly Dictionary<string, int> _certificateIndex = new(StringComparer.Ordinal);
    private readonly List<(ServiceChange Change, string Path, long Offset)> _changes = [];
    private long _lastView;
    private long _views;
    private long _bytes;
    private int _chunks;
    private SignatureEntry? _lastSignature;

    public LedgerAuditReport Run(List<string> paths, CancellationToken cancellationToken)
    {
        _tree.Append(Sha256Hash.Zero);
        var failure = ReadChunks(paths, cancellationToken) ?? CheckEnd() ?? CheckSigners();
        var signed = _lastSignature?.Header.Id.Seqno ?? 0;
        return new LedgerAuditReport
        {
            Failure = failure,
            Entries = signed,
            Signatures = _signatures.Count(signature => signature.Id.Seqno <= signed),
            Chunks = _chunks,
            Bytes = _bytes,
            Views = _views,
            UnsignedEntries = _tree.Size - 1 - signed,
            LastSignature = _lastSignature,
            ServiceEras = options.ServiceCertificatePem is { } pem ? new ServiceLineage(pem, _changes.Select(change => change.Change)).Eras : [],
        };
    }

    public void Dispose() => _files.Dispose();

    private LedgerAuditFailure? ReadChunks(List<string> paths, CancellationToken cancellationToken)
    {
        var chunks = new List<(long First, long Last, string Path)>();
        foreach (var path in paths)
        {
            if (!ChunkFile.TryParseName(Path.GetFileName(path), out var first, out var last))
            {
                return Failure(path, 0, "the name is not a chunk file's");
            }

            chunks.Add((first, last, path));
        }

        chunks.Sort((a, b) => a.First.CompareTo(b.First));
        foreach (var (first, last, path) in chunks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var failure = CheckPlace(first, last, path, isNewest: path == chunks[^1].Path);
            if (failure is not null)
            {
                return failure;
            }

            try
            {
                if (last < 0)
                {
                    ReadOpenChunk(first, path);
                }
                else
                {
                    ReadClosedChunk(first, last, path);
                }
            }
            catch (LedgerCorruptException exception)
            {
                return Failure(exception.Path, exception.Offset, exception.Problem);
            }

            _files.Evict(first);
            _chunks++;
            _bytes += new FileInfo(path).Length;
            options.Progress?.Report(_bytes);
        }

        return null;
    }

    private LedgerAuditFailure? CheckPlace(long first, long last, string path, bool isNewest)
    {
        if (last < 0 && !(options.AllowOpenChunk && isNewest))
        {
            return Failure(path, 0, isNewest ? "an open chunk is not audited here: only closed chunks are" : "an open chunk is followed by other chunks");
        }

        return first == _tree.Size
            ? null
            : Failure(path, 0, first > _tree.Size
                ? $"seqnos {_tree.Size}-{first - 1} are missing before this chunk"
                : $"the chunk overlaps the one before it, which ends at seqno {_tree.Size - 1}");
    }

    private void ReadClosedChunk(long first, long last, string path)
    {
        ClosedChunk chunk;
        using (var lease = _files.Open(first, path))
        {
            chunk = ClosedChunk.Load(_files, lease.File, path, first, last);
        }

        var lastKind = EntryKind.Write;
        long lastOffset = 0;
        chunk.Verify((_, entry, offset) =>
        {
            lastKind = Visit(entry, path, offset);
            lastOffset = offset;
        });
        if (lastKind != EntryKind.Signature)
        {
            throw new LedgerCorruptException(path, lastOffset, "a closed chunk's last entry is not a signature");
        }
    }

    private void ReadOpenChunk(long first, string path)
    {
        using var lease = _files.Open(first, path);
        var file = lease.File;
        var problem = ChunkFile.ReadHeaderProblem(file, first, out var version);
        if (problem is not null)
        {
            throw new LedgerCorruptException(path, 0, problem);
        }

        var scanner = new ChunkScanner(file, file.Length);
        var codec = EntryRecordCodec.For(version);
        while (scanner.Next(out var offset, out var type, out var payload))
        {
            if (type != RecordType.Entry)
            {
                throw new LedgerCorruptException(path, offset, $"a {type} record lies in an open chunk, which holds entries only");
            }

            Visit(ChunkFile.CanonicalEntry(payload, path, offset, _tree.Size, codec, learn: true, out _), path, offset);
        }

        if (scanner.Problem is not null)
        {
            throw new LedgerCorruptException(path, scanner.EndOfSoundRecords, scanner.Problem);
        }
    }

    /// <summary>Checks one entry, already checked for format and seqno, against the tree and the order of views, and adds its leaf.</summary>
    private EntryKind Visit(byte[] entry, string path, long offset)
    {
        var header = EntryCodec.ReadHeader(entry);
        if (header.Id.View < _lastView)
        {
            throw new LedgerCorruptException(path, offset, $"transaction {header.Id} is in view {header.Id.View}, after an entry of view {_lastView}: views never go back");
        }

        _views += header.Id.View == _lastView ? 0 : 1;
        _lastView = header.Id.View;
        if (header.Kind == EntryKind.Signature)
        {
            var signature = EntryCodec.ReadSignature(entry);
            Ledger.AppendChecked(_tree, path, offset, entry);
            _signatures.Add((header.Id, CertificateIndex(signature.NodeCertificateDer), path, offset));
            _lastSignature = signature;
            return header.Kind;
        }

        if (header.Kind == EntryKind.Write && EntryCodec.ReadWrite(entry).CollectionId.SequenceEqual(ServiceCollection))
        {
            try
            {
                _changes.Add((ServiceChange.Parse(EntryCodec.ReadWrite(entry).Contents, header.Id), path, offset));
            }
            catch (InvalidDataException exception)
            {
                throw new LedgerCorruptException(path, offset, exception.Message);
            }
        }

        Ledger.AppendChecked(_tree, path, offset, entry);
        return header.Kind;
    }

    private int CertificateIndex(byte[] certificateDer)
    {
        var key = Convert.ToBase64String(certificateDer);
        if (!_certificateIndex.TryGetValue(key, out var index))
        {
            index = _certificates.Count;
            _certificates.Add(certificateDer);
            _certificateIndex[key] = index;
        }

        return index;
    }

    private LedgerAuditFailure? CheckEnd()
    {
        // Closed chunks end with signatures, so entries no signature covers can only be an open chunk's tail.
        return _tree.Size > 1 && _lastSignature is null
            ? new LedgerAuditFailure(string.Empty, -1, 1, null, $"no signature covers the {_tree.Size - 1} entries: the ledger is cut before its first signature")
            : null;
    }

    private LedgerAuditFailure? CheckSigners()
    {
        if (options.ServiceCertificatePem is not { } servicePem)
        {
            return null;
        }

        var lineage = new ServiceLineage(servicePem, _changes.Select(change => change.Change));
        if (lineage.CheckChanges() is var (badChange, why))
        {
            var (_, path, offset) = _changes.First(change => change.Change == badChange);
            return new LedgerAuditFailure(path, offset, badChange.Id.Seqno, badChange.Id, $"the change of service identity is not in line: {why}");
        }

        foreach (var (id, certificate, path, offset) in _signatures)
        {
            if (lineage.CheckSigner(_certificates[certificate], id.Seqno) is { } reason)
            {
                return new LedgerAuditFailure(path, offset, id.Seqno, id, reason);
            }
        }

        return null;
    }

    private LedgerAuditFailure Failure(string path, long offset, string reason) => new(path, offset, _tree.Size, null, reason);
}
