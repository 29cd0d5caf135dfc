using System.Collections.Concurrent;
using System.Text.Json;

namespace Vellum.Node.Tests.Jwt;

/// <summary>
/// One issuer served by <see cref="LocalOpenIdIssuer"/> under its own path: its published keys,
/// the requests it received, and switches that make it misbehave.
/// </summary>
public sealed class TestTenant : IDisposable
{
    private readonly ConcurrentDictionary<string, TestSigningKey> _published = new();
    private int _discoveryRequests;
    private int _jwksRequests;

    public TestTenant(string baseUrl, string name)
    {
        Issuer = $"{baseUrl}/{name}";
        Rsa = TestSigningKey.Rsa($"{name}-rsa");
        Ec = TestSigningKey.Ec($"{name}-ec");
        Publish(Rsa);
        Publish(Ec);
    }

    /// <summary>The issuer URL, which is also the prefix of its discovery document's URL.</summary>
    public string Issuer { get; }

    /// <summary>The tenant's RSA-2048 key, published from the start.</summary>
    public TestSigningKey Rsa { get; }

    /// <summary>The tenant's P-256 key, published from the start.</summary>
    public TestSigningKey Ec { get; }

    public int DiscoveryRequests => Volatile.Read(ref _discoveryRequests);

    public int JwksRequests => Volatile.Read(ref _jwksRequests);

    /// <summary>When set, the discovery document names this issuer instead of its own.</summary>
    public string? DiscoveryIssuerOverride { get; set; }

    /// <summary>When set, the discovery document points here for its keys.</summary>
    public string? JwksUriOverride { get; set; }

    /// <summary>When set, the key set is answered with HTTP 503.</summary>
    public bool JwksUnavailable { get; set; }

    /// <summary>When set, the key set is padded (streamed, with no Content-Length) to this many bytes.</summary>
    public int JwksPaddingBytes { get; set; }

    /// <summary>When set, the key set is answered only once this completes.</summary>
    public TaskCompletionSource? JwksGate { get; set; }

    /// <summary>Completes when a key set request arrives (and reaches the gate, if one is set).</summary>
    public TaskCompletionSource JwksRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When set, discovery requests never get an answer.</summary>
    public bool StallDiscovery { get; set; }

    /// <summary>Completes when a discovery request arrives.</summary>
    public TaskCompletionSource DiscoveryRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Publish(TestSigningKey key) => _published[key.KeyId] = key;

    public void Withdraw(TestSigningKey key) => _published.TryRemove(key.KeyId, out _);

    public string DiscoveryDocument(string jwksUri)
    {
        Interlocked.Increment(ref _discoveryRequests);
        DiscoveryRequested.TrySetResult();
        return JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["issuer"] = DiscoveryIssuerOverride ?? Issuer,
            ["jwks_uri"] = JwksUriOverride ?? jwksUri,
            ["id_token_signing_alg_values_supported"] = new[] { "RS256", "ES256" },
        });
    }

    public string KeySet()
    {
        Interlocked.Increment(ref _jwksRequests);
        return JsonSerializer.Serialize(new { keys = _published.Values.Select(key => key.ToJwk()).ToList() });
    }

    public void Dispose()
    {
        JwksGate?.TrySetResult();
        Rsa.Dispose();
        Ec.Dispose();
    }
}
