namespace Vellum.Node;

/// <summary>Names this assembly for reflection in tests.</summary>
public static class NodeAssemblyMarker;
