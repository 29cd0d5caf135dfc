namespace Vellum.Simulator;

/// <summary>Counts of what a run exercised, so that a summary shows the faults were real.</summary>
public sealed class SimulationStatistics
{
    /// <summary>Simulated time units the run lasted.</summary>
    public long Time { get; set; }

    /// <summary>Terms in which some node led.</summary>
    public int Leaders { get; set; }

    /// <summary>The highest committed index.</summary>
    public long Committed { get; set; }

    /// <summary>Data entries leaders accepted.</summary>
    public int Writes { get; set; }

    /// <summary>Messages sent.</summary>
    public long Messages { get; set; }

    /// <summary>Messages lost, by the network or a partition or a dead receiver.</summary>
    public long Dropped { get; set; }

    /// <summary>Messages delivered twice.</summary>
    public long Duplicated { get; set; }

    /// <summary>The most events (messages in flight, mostly) ever waiting at once.</summary>
    public int PeakEvents { get; set; }

    /// <summary>Node crashes.</summary>
    public int Crashes { get; set; }

    /// <summary>Entries that were not yet durable when their node crashed.</summary>
    public long LostEntries { get; set; }

    /// <summary>Network partitions made.</summary>
    public int Partitions { get; set; }

    /// <summary>Membership changes leaders accepted.</summary>
    public int ConfigurationChanges { get; set; }

    /// <summary>Adds <paramref name="other"/> into this.</summary>
    public void Add(SimulationStatistics other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Time += other.Time;
        Leaders += other.Leaders;
        Committed += other.Committed;
        Writes += other.Writes;
        Messages += other.Messages;
        Dropped += other.Dropped;
        Duplicated += other.Duplicated;
        PeakEvents = Math.Max(PeakEvents, other.PeakEvents);
        Crashes += other.Crashes;
        LostEntries += other.LostEntries;
        Partitions += other.Partitions;
        ConfigurationChanges += other.ConfigurationChanges;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"time {Time}, leaders {Leaders}, committed {Committed}, writes {Writes}, messages {Messages} ({Dropped} lost, {Duplicated} duplicated, at most {PeakEvents} events waiting), crashes {Crashes} ({LostEntries} volatile entries lost), partitions {Partitions}, membership changes {ConfigurationChanges}";
}
