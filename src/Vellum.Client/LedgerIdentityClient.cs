using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Vellum.Client.Http;
using Vellum.Client.Wire;

namespace Vellum.Client;

/// <summary>
/// Fetches a ledger's identity (<c>GET /ledgerIdentity/{ledgerId}</c>), the counterpart of ACL's
/// identity service client. What it returns is only as trustworthy as the channel it came over:
/// compare <see cref="LedgerIdentity.Fingerprint"/> with one obtained out of band, or save the
/// identity and pin it from then on.
/// </summary>
public static class LedgerIdentityClient
{
    /// <summary>
    /// Asks the node at <paramref name="ledgerEndpoint"/> for its ledger's identity, accepting
    /// whatever certificate it presents because nothing is pinned yet: trust on first use. The
    /// node's TLS chain must at least end at the identity it returns. Pass the result to
    /// <see cref="LedgerClient"/>, which pins it, and keep it for later sessions.
    /// </summary>
    /// <param name="ledgerEndpoint">A node's API address, such as <c>https://127.0.0.1:8443</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerRequestException">The node could not be reached, refused, returned no certificate, or presented a chain that does not end at the identity it returned.</exception>
    public static async Task<LedgerIdentity> TrustOnFirstUseAsync(Uri ledgerEndpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledgerEndpoint);
        RequireHttps(ledgerEndpoint, nameof(ledgerEndpoint));
        byte[]? presented = null;
        var presentedErrors = SslPolicyErrors.None;
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                // Nothing is pinned yet: the certificate is recorded and checked against the answer below.
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                {
                    presented = certificate?.GetRawCertData();
                    presentedErrors = errors;
                    return certificate is not null;
                },
            },
        };
        var identity = await FetchAsync(handler, ledgerEndpoint, LedgerIdOf(ledgerEndpoint), cancellationToken).ConfigureAwait(false);
        using var service = identity.CreateCertificate();
        using var leaf = presented is null ? null : X509CertificateLoader.LoadCertificate(presented);
        if (!Vellum.Core.Identity.ServiceCertificatePin.ChainEndsAt(service, leaf, presentedErrors))
        {
            throw new LedgerRequestException(0, LedgerRequestException.SecureConnectionFailedCode, $"{ledgerEndpoint.Authority} presented a TLS certificate that does not chain to the identity it returned ({identity.Fingerprint}), or does not name this host.");
        }

        return identity;
    }

    /// <summary>
    /// Asks an identity service (such as ACL's <c>https://identity.confidential-ledger.core.azure.com</c>)
    /// for the identity of <paramref name="ledgerId"/>, over TLS checked against this machine's
    /// trust store as usual.
    /// </summary>
    /// <param name="identityServiceEndpoint">The identity service's address.</param>
    /// <param name="ledgerId">The ledger's id: for ACL, the first label of its host name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerRequestException">The service could not be reached, refused, or returned no certificate.</exception>
    public static async Task<LedgerIdentity> GetIdentityAsync(Uri identityServiceEndpoint, string ledgerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identityServiceEndpoint);
        ArgumentException.ThrowIfNullOrEmpty(ledgerId);
        RequireHttps(identityServiceEndpoint, nameof(identityServiceEndpoint));
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false };
        return await FetchAsync(handler, identityServiceEndpoint, ledgerId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The ledger id ACL's clients derive from an endpoint: its host up to the first dot.</summary>
    internal static string LedgerIdOf(Uri endpoint) =>
        endpoint.HostNameType == UriHostNameType.Dns ? endpoint.Host.Split('.')[0] : "ledger";

    private static async Task<LedgerIdentity> FetchAsync(HttpMessageHandler handler, Uri endpoint, string ledgerId, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(handler, disposeHandler: false);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint, $"/ledgerIdentity/{Uri.EscapeDataString(ledgerId)}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(LedgerRequest.Json));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException exception)
        {
            throw new LedgerRequestException(0, LedgerRequestException.ConnectionFailedCode, exception.Message, exception);
        }

        using (response)
        {
            await LedgerPipeline.EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            var body = await LedgerPipeline.ReadJsonAsync(response, WireJsonContext.Default.IdentityResponse, cancellationToken).ConfigureAwait(false);
            if (body.LedgerTlsCertificate is null)
            {
                throw LedgerPipeline.InvalidResponse(response, "ledgerTlsCertificate is missing");
            }

            try
            {
                return LedgerIdentity.FromPem(body.LedgerTlsCertificate, body.LedgerId ?? ledgerId);
            }
            catch (ArgumentException exception)
            {
                throw LedgerPipeline.InvalidResponse(response, exception.Message, exception);
            }
        }
    }

    private static void RequireHttps(Uri endpoint, string parameter)
    {
        if (!endpoint.IsAbsoluteUri || endpoint.Scheme != Uri.UriSchemeHttps)
        {
            throw new ArgumentException("The address must be an absolute HTTPS address.", parameter);
        }
    }
}
