namespace Vellum.Node.Tests;

public class PlaceholderTests
{
    [Fact]
    public void NodeAssemblyLoads() => Assert.Equal("Vellum.Node", typeof(NodeAssemblyMarker).Assembly.GetName().Name);
}
