using Vellum.Storage.Files;

namespace Vellum.Storage.Tests.Files;

public class SimulatedFileSystemTests
{
    [Fact]
    public void SyncedBytesAndSyncedNamesAlwaysSurviveAPowerLoss()
    {
        var fileSystem = new SimulatedFileSystem();
        fileSystem.CreateDirectory("/d");
        using (var file = fileSystem.OpenOrCreate("/d/a"))
        {
            file.Write("durable"u8, 0);
            file.Sync();
        }

        fileSystem.SyncDirectory("/d");
        for (var seed = 0; seed < 50; seed++)
        {
            Assert.Equal("durable"u8.ToArray(), fileSystem.Restart(new Random(seed)).ReadAllBytes("/d/a"));
        }
    }

    [Fact]
    public void UnsyncedWritesAreLostKeptOrTornDependingOnTheReboot()
    {
        var fileSystem = new SimulatedFileSystem();
        fileSystem.CreateDirectory("/d");
        using (var file = fileSystem.OpenOrCreate("/d/a"))
        {
            file.Write("base"u8, 0);
            file.Sync();
            file.Write("-pending-write"u8, 4);
        }

        fileSystem.SyncDirectory("/d");
        var outcomes = Enumerable.Range(0, 200)
            .Select(seed => System.Text.Encoding.ASCII.GetString(fileSystem.Restart(new Random(seed)).ReadAllBytes("/d/a")))
            .ToHashSet();

        Assert.Contains("base", outcomes);
        Assert.Contains("base-pending-write", outcomes);
        Assert.Contains(outcomes, o => o.Length > 4 && o.Length < 18);
        Assert.All(outcomes, o => Assert.StartsWith("base", o, StringComparison.Ordinal));
    }

    [Fact]
    public void AnUnsyncedRenameMayBeLostButAHandleFollowsItsFile()
    {
        var fileSystem = new SimulatedFileSystem();
        fileSystem.CreateDirectory("/d");
        var file = fileSystem.OpenOrCreate("/d/old");
        file.Write("x"u8, 0);
        file.Sync();
        fileSystem.SyncDirectory("/d");

        fileSystem.Rename("/d/old", "/d/new");
        file.Write("y"u8, 1);
        Assert.Equal("xy"u8.ToArray(), fileSystem.ReadAllBytes("/d/new"));

        var names = Enumerable.Range(0, 50).Select(seed => string.Join(",", fileSystem.Restart(new Random(seed)).ListFiles("/d"))).ToHashSet();
        Assert.Equal(["new", "old"], names.Order());

        fileSystem.SyncDirectory("/d");
        Assert.Equal(["new"], fileSystem.Restart(new Random(1)).ListFiles("/d"));
    }

    [Fact]
    public void AfterThePowerLossEveryOperationFails()
    {
        var fileSystem = new SimulatedFileSystem();
        fileSystem.CreateDirectory("/d");
        var file = fileSystem.OpenOrCreate("/d/a");
        fileSystem.LosePowerAfter(1);

        file.Write("first"u8, 0);
        Assert.Throws<PowerLossException>(() => file.Write("second"u8, 5));
        Assert.Throws<PowerLossException>(() => file.Sync());
        Assert.Throws<PowerLossException>(() => file.Read(new byte[1], 0));
        Assert.Equal(2, fileSystem.MutatingOperations);
    }

    [Fact]
    public void ASecondLockOnADirectoryIsRefusedUntilTheFirstIsReleased()
    {
        var fileSystem = new SimulatedFileSystem();
        var held = fileSystem.LockDirectory("/d");

        Assert.Throws<IOException>(() => fileSystem.LockDirectory("/d"));
        held.Dispose();
        fileSystem.LockDirectory("/d").Dispose();
    }
}
