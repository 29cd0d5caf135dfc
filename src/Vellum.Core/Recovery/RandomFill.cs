namespace Vellum.Core.Recovery;

/// <summary>
/// Fills <paramref name="destination"/> with cryptographically strong random bytes. Production code
/// passes <see cref="System.Security.Cryptography.RandomNumberGenerator.Fill"/>; tests pass a seeded
/// source so that deals are reproducible.
/// </summary>
public delegate void RandomFill(Span<byte> destination);
