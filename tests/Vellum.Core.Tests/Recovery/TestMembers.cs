using Vellum.Core.Recovery;

namespace Vellum.Core.Tests.Recovery;

/// <summary>
/// Member keys shared by the recovery tests: RSA key generation takes a noticeable fraction of a
/// second, so the keys are made once per test run. Tests never dispose them.
/// </summary>
internal static class TestMembers
{
    private static readonly Lazy<MemberDecryptionKey[]> Keys =
        new(() => Enumerable.Range(0, 5).Select(_ => MemberDecryptionKey.Generate(2048)).ToArray());

    public static IReadOnlyList<MemberDecryptionKey> Private => Keys.Value;

    public static IReadOnlyList<MemberEncryptionKey> Public(int count) => Keys.Value.Take(count).Select(k => k.PublicKey).ToList();

    public static RandomFill Seeded(int seed) => new Random(seed).NextBytes;
}
