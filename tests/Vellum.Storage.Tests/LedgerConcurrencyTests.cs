using Vellum.Storage.Files;
using Vellum.Storage.Tests.Support;

namespace Vellum.Storage.Tests;

public class LedgerConcurrencyTests
{
    private const string Directory = "/ledger";

    /// <summary>
    /// With <see cref="LedgerOptions.FlushInBackground"/> false nothing flushes unless the caller
    /// calls <see cref="Ledger.FlushAsync"/>, but an append over <see cref="LedgerOptions.MaxPendingBytes"/>
    /// waits for a flush that nobody will start: a single-threaded caller (the deterministic
    /// simulation the option exists for) hangs for ever.
    /// </summary>
    [Fact]
    public async Task AnAppendOverThePendingBoundWithoutABackgroundFlusherEitherFlushesOrFailsButNeverHangs()
    {
        var options = new LedgerOptions
        {
            Directory = Directory,
            FileSystem = new SimulatedFileSystem(),
            FlushInBackground = false,
            MaxPendingBytes = 1 << 20,
        };
        await using var ledger = await Ledger.OpenAsync(options);
        var contents = new string('x', 100_000);
        for (var seqno = 1; seqno <= 12; seqno++)
        {
            var append = ledger.AppendAsync(EntryFactory.Write(seqno, contents: contents)).AsTask();
            var finished = await Task.WhenAny(append, Task.Delay(TimeSpan.FromSeconds(3)));
            Assert.True(finished == append, $"append {seqno} (about {seqno * 100} kB pending, bound 1 MiB) never completed: it waits for a flush that only the caller could start");
            await append;
        }
    }

    /// <summary>
    /// <see cref="Ledger.AppendAsync"/> appends under the lock, releases it, then calls
    /// <c>RequestFlush</c>. A <see cref="Ledger.DisposeAsync"/> that runs in between flushes the
    /// entry and disposes the flush semaphore, so <c>RequestFlush</c> throws
    /// <see cref="ObjectDisposedException"/> for <see cref="SemaphoreSlim"/>: the caller is told
    /// the append failed although the entry is in the ledger, durable. (A race: the test repeats
    /// the interleaving until it occurs, which on a two-core machine takes a few dozen tries.)
    /// </summary>
    [Fact]
    public async Task AnAppendRacingDisposeEitherSucceedsOrLeavesNoTrace()
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var fileSystem = new SimulatedFileSystem();
            var ledger = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem, background: true));
            var appenders = Enumerable.Range(0, 3).Select(_ => Task.Run(() => AppendUntilDisposedAsync(ledger))).ToList();
            await Task.Delay(1);
            await ledger.DisposeAsync();
            foreach (var failed in await Task.WhenAll(appenders))
            {
                if (failed is null)
                {
                    continue;
                }

                await using var reopened = await Ledger.OpenAsync(LedgerDriver.Options(Directory, fileSystem));
                var seqno = Core.Entries.EntryCodec.ReadHeader(failed.Value.Entry).Id.Seqno;
                var stored = seqno <= reopened.LastSeqno && reopened.ReadEntry(seqno).AsSpan().SequenceEqual(failed.Value.Entry);
                Assert.False(stored, $"AppendAsync of seqno {seqno} threw \"{failed.Value.Error.Message}\", yet the entry is in the ledger (attempt {attempt})");
            }
        }
    }

    private static async Task<(byte[] Entry, ObjectDisposedException Error)?> AppendUntilDisposedAsync(Ledger ledger)
    {
        while (true)
        {
            // Yield so that the appenders do not starve the thread pool the test's own continuations need.
            await Task.Yield();
            var entry = EntryFactory.Write(ledger.LastSeqno + 1);
            try
            {
                await ledger.AppendAsync(entry);
            }
            catch (ArgumentException)
            {
                // Another appender took this seqno first.
            }
            catch (ObjectDisposedException error)
            {
                return error.ObjectName == typeof(Ledger).FullName ? null : (entry, error);
            }
        }
    }
}
