namespace Vellum.Node.Sequencing;

/// <summary>One validated write of a batch: its collection, tags and contents.</summary>
internal sealed record BatchWrite(string CollectionId, IReadOnlyList<string> Tags, ReadOnlyMemory<byte> ContentsUtf8);
