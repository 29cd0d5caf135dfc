namespace Vellum.Simulator;

/// <summary>
/// What happened in one run: a 64-bit hash over every event, which two runs of the same seed
/// must share, and, when asked for, the text of the last events for a failure report.
/// </summary>
/// <remarks>
/// The hash is fed numbers, not text, so that a fast run (which formats nothing) and a run that
/// keeps lines produce the same hash.
/// </remarks>
public sealed class Trace
{
    private const ulong Prime = 0x100000001B3UL;
    private readonly Queue<string>? _lines;
    private readonly int _maxLines;
    private readonly TextWriter? _echo;
    private ulong _hash = 0xCBF29CE484222325UL;

    /// <summary>Creates a trace; it keeps the last <paramref name="maxLines"/> lines (none when 0) and echoes each to <paramref name="echo"/> if given.</summary>
    public Trace(int maxLines, TextWriter? echo = null)
    {
        _maxLines = maxLines;
        _echo = echo;
        if (maxLines > 0 || echo is not null)
        {
            _lines = new Queue<string>(Math.Max(maxLines, 1));
        }
    }

    /// <summary>Whether lines are kept, so callers format text only when it is wanted.</summary>
    public bool KeepsLines => _lines is not null;

    /// <summary>The hash of everything recorded so far.</summary>
    public ulong Hash => Mix(_hash);

    /// <summary>The lines kept, oldest first.</summary>
    public IReadOnlyList<string> Lines => _lines is null ? [] : [.. _lines];

    /// <summary>Mixes numbers describing one event into the hash.</summary>
    public void Record(long a, long b = 0, long c = 0, long d = 0, long e = 0)
    {
        Add(a);
        Add(b);
        Add(c);
        Add(d);
        Add(e);
    }

    /// <summary>Keeps one line of text (the caller checks <see cref="KeepsLines"/> first).</summary>
    public void Line(long time, string text)
    {
        if (_lines is null)
        {
            return;
        }

        var line = $"{time,7} {text}";
        _echo?.WriteLine(line);
        if (_maxLines == 0)
        {
            return;
        }

        if (_lines.Count == _maxLines)
        {
            _lines.Dequeue();
        }

        _lines.Enqueue(line);
    }

    private static ulong Mix(ulong value)
    {
        // The splitmix64 finaliser, so that nearby inputs give unrelated hashes.
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }

    private void Add(long value) => _hash = (_hash ^ Mix(unchecked((ulong)value))) * Prime;
}
