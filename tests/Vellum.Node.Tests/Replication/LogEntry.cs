using Microsoft.Extensions.Logging;

namespace Vellum.Node.Tests.Replication;

/// <summary>One entry a <see cref="RecordingLogger"/> kept.</summary>
public sealed record LogEntry(int EventId, LogLevel Level, string Message);
