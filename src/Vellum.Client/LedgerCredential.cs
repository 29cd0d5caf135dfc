using System.Security.Cryptography.X509Certificates;

namespace Vellum.Client;

/// <summary>
/// Who the client calls as: a client certificate presented in the TLS handshake (the user id is
/// its SHA-256 fingerprint), or a bearer token sent with every request (the user id is its
/// <c>oid</c> claim).
/// </summary>
/// <remarks>
/// Tokens are asked for on every request, retries and redirects included, so the provider should
/// cache them until shortly before they expire, as token libraries do. An Azure.Identity
/// <c>TokenCredential</c> adapts in one line:
/// <c>LedgerCredential.FromToken(async ct =&gt; (await credential.GetTokenAsync(new(["https://confidential-ledger.azure.com/.default"]), ct)).Token)</c>.
/// </remarks>
public sealed class LedgerCredential
{
    private LedgerCredential(X509Certificate2? certificate, Func<CancellationToken, ValueTask<string>>? tokenProvider)
    {
        ClientCertificate = certificate;
        TokenProvider = tokenProvider;
    }

    /// <summary>The client certificate, or null for a token credential.</summary>
    public X509Certificate2? ClientCertificate { get; }

    /// <summary>The token provider, or null for a certificate credential.</summary>
    public Func<CancellationToken, ValueTask<string>>? TokenProvider { get; }

    /// <summary>Calls as the holder of <paramref name="certificate"/>, which must carry its private key; the caller keeps ownership of it.</summary>
    /// <exception cref="ArgumentException">The certificate has no private key.</exception>
    public static LedgerCredential FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (!certificate.HasPrivateKey)
        {
            throw new ArgumentException("A client certificate needs its private key to prove who the caller is.", nameof(certificate));
        }

        return new LedgerCredential(certificate, null);
    }

    /// <summary>Calls with <c>Authorization: Bearer</c> and the token <paramref name="tokenProvider"/> returns, asked for before every request.</summary>
    public static LedgerCredential FromToken(Func<CancellationToken, ValueTask<string>> tokenProvider)
    {
        ArgumentNullException.ThrowIfNull(tokenProvider);
        return new LedgerCredential(null, tokenProvider);
    }
}
