using Vellum.Consensus;
using Vellum.Core;
using Vellum.Storage;

namespace Vellum.Tidy.Tests;

public class TidyTests
{
    public static TheoryData<string> PureAssemblies => new()
    {
        typeof(TransactionId).Assembly.Location,
        typeof(StorageAssemblyMarker).Assembly.Location,
        typeof(RaftNode).Assembly.Location,
    };

    [Theory]
    [MemberData(nameof(PureAssemblies))]
    public void CoreStorageAndConsensusNeverReadTheClockOrTheGlobalRandom(string assemblyPath)
    {
        var violations = ForbiddenMemberScanner.Scan(assemblyPath);

        Assert.True(
            violations.Count == 0,
            $"{Path.GetFileName(assemblyPath)} reads time or randomness directly; inject a TimeProvider or a seeded source instead: {string.Join(", ", violations)}");
    }

    [Fact]
    public void TheScannerFindsClockAndRandomReadsWhereTheyExist()
    {
        var violations = ForbiddenMemberScanner.Scan(typeof(TidyTests).Assembly.Location);

        Assert.Contains("System.DateTime.get_UtcNow", violations);
        Assert.Contains("System.Random..ctor", violations);
        Assert.Contains("System.Diagnostics.Stopwatch", violations);
    }

    [Fact]
    public void CoreDependsOnNoOtherVellumProjectAndStorageAndConsensusOnlyOnCore()
    {
        static IEnumerable<string> VellumReferences(string path) =>
            ForbiddenMemberScanner.ReferencedAssemblies(path).Where(name => name.StartsWith("Vellum.", StringComparison.Ordinal));

        Assert.Empty(VellumReferences(typeof(TransactionId).Assembly.Location));
        Assert.All(VellumReferences(typeof(StorageAssemblyMarker).Assembly.Location), name => Assert.Equal("Vellum.Core", name));
        Assert.All(VellumReferences(typeof(RaftNode).Assembly.Location), name => Assert.Equal("Vellum.Core", name));
    }

    // Canary: gives the scanner something to find in this assembly. Never called.
    internal static object Canary() =>
        (DateTime.UtcNow, new Random(1).Next(), System.Diagnostics.Stopwatch.GetTimestamp());
}
