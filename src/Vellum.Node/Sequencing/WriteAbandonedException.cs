namespace Vellum.Node.Sequencing;

/// <summary>
/// A write whose contents are made at sequencing no longer applies at the seqno it would get (the
/// state it was meant for moved on, say under another primary); nothing is written, and the
/// writer decides again.
/// </summary>
internal sealed class WriteAbandonedException(string message) : Exception(message);
