namespace Vellum.Bench;

/// <summary>
/// The floor for durable appends: the least a group-commit log can do. One producer copies
/// bytes into a buffer; one flusher swaps buffers, writes and fsyncs. No framing, checksums,
/// hashing, validation or indexes.
/// </summary>
internal static class RawGroupCommit
{
    public static double AppendsPerSecond(string directory, IReadOnlyList<byte[]> records)
    {
        using var handle = File.OpenHandle(Path.Combine(directory, "raw.log"), FileMode.Create, FileAccess.ReadWrite);
        var gate = new object();
        var pending = new MemoryStream();
        var produced = 0;
        var durable = 0;
        var done = false;
        var flusher = new Thread(() =>
        {
            var spare = new MemoryStream();
            long offset = 0;
            while (true)
            {
                int target;
                lock (gate)
                {
                    while (pending.Length == 0 && !done)
                    {
                        Monitor.Wait(gate);
                    }

                    if (pending.Length == 0 && done)
                    {
                        return;
                    }

                    (pending, spare) = (spare, pending);
                    target = produced;
                }

                RandomAccess.Write(handle, spare.GetBuffer().AsSpan(0, (int)spare.Length), offset);
                offset += spare.Length;
                RandomAccess.FlushToDisk(handle);
                spare.SetLength(0);
                lock (gate)
                {
                    durable = target;
                    Monitor.PulseAll(gate);
                }
            }
        });

        var watch = System.Diagnostics.Stopwatch.StartNew();
        flusher.Start();
        foreach (var record in records)
        {
            lock (gate)
            {
                pending.Write(record);
                produced++;

                // Wake the flusher only when work appears, as a group-commit writer does.
                if (pending.Length == record.Length)
                {
                    Monitor.Pulse(gate);
                }
            }
        }

        lock (gate)
        {
            while (durable < records.Count)
            {
                Monitor.Wait(gate);
            }

            done = true;
            Monitor.PulseAll(gate);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        flusher.Join();
        return records.Count / seconds;
    }
}
