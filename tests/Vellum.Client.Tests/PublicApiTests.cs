using Vellum.Client.Tests.Support;

namespace Vellum.Client.Tests;

/// <summary>
/// The SDK's public surface is pinned in <c>src/Vellum.Client/PublicAPI.txt</c>, so that no change
/// to it goes unnoticed in review. To accept a change, run the tests with
/// <c>VELLUM_UPDATE_PUBLIC_API=1</c> and commit the rewritten file.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void ThePublicSurfaceMatchesTheCheckedInListing()
    {
        var path = Path.Combine(Repository.Root(), "src", "Vellum.Client", "PublicAPI.txt");
        var actual = PublicApiListing.Of(typeof(LedgerClient).Assembly);
        if (Environment.GetEnvironmentVariable("VELLUM_UPDATE_PUBLIC_API") == "1")
        {
            File.WriteAllLines(path, actual);
        }

        var expected = File.Exists(path) ? File.ReadAllLines(path).Where(line => line.Length > 0).ToList() : [];
        var removed = expected.Except(actual).Select(line => "- " + line);
        var added = actual.Except(expected).Select(line => "+ " + line);
        var diff = string.Join(Environment.NewLine, removed.Concat(added));
        Assert.True(
            diff.Length == 0,
            $"The public API differs from {path} (- listed but gone, + new but unlisted). If the change is intended, run the tests with VELLUM_UPDATE_PUBLIC_API=1 and commit the file.{Environment.NewLine}{diff}");
    }
}
