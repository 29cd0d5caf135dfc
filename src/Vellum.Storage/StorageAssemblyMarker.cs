namespace Vellum.Storage;

/// <summary>Names the Vellum.Storage assembly for reflection (tests and tools); it has no behaviour.</summary>
public static class StorageAssemblyMarker
{
}
