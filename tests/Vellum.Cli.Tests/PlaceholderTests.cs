namespace Vellum.Cli.Tests;

public class PlaceholderTests
{
    [Fact]
    public void CliAssemblyIsNamedVellum() => Assert.Equal("vellum", typeof(Program).Assembly.GetName().Name);
}
