using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Vellum.Core.Identity;
using Vellum.Node.Attestation;
using Vellum.Node.Setup;

namespace Vellum.Node.Cluster;

/// <summary>
/// The joining node's side of <c>POST /node/join</c>: makes the node key, asks to be admitted
/// with a certificate request and the platform's attestation, and writes the data folder from the
/// answer, so that <c>vellum start</c> on it runs the node (now and after any restart).
/// </summary>
public static class NodeJoiner
{
    private const int MaxRedirects = 5;

    /// <summary>Joins the ledger that <see cref="JoinOptions.Target"/> belongs to and prepares <see cref="JoinOptions.DataDirectory"/>.</summary>
    /// <exception cref="NodeStartException">The folder already holds a ledger, or the ledger refused or could not be reached; the message says why.</exception>
    public static async Task JoinAsync(JoinOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var directory = new DataDirectory(options.DataDirectory);
        directory.Create();
        using var folderLock = directory.Lock();
        if (File.Exists(directory.Settings))
        {
            throw new NodeStartException($"{directory.Root} already holds a ledger; start it with vellum start --data {directory.Root}.");
        }

        // The key is kept from the first attempt: a join the consortium must approve names the
        // node by its key, and a second attempt, after a restart, must present the same one.
        using var nodeKey = File.Exists(directory.NodeKey) ? Pem.ReadEcPrivateKey(File.ReadAllText(directory.NodeKey)) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        if (!File.Exists(directory.NodeKey))
        {
            directory.WriteSecret(directory.NodeKey, Encoding.UTF8.GetBytes(Pem.WritePrivateKey(nodeKey)));
        }

        var nodeId = Convert.ToHexStringLower(SHA256.HashData(nodeKey.ExportSubjectPublicKeyInfo()));
        var request = JoinRequest.Create(nodeKey, VirtualAttestationPlatform.Instance.Quote(nodeId), options.PeerAddress, options.ApiAddress);
        using var grant = await AwaitAdmissionAsync(options, request, nodeId, cancellationToken);
        var root = grant.RootElement;
        directory.WriteSecret(directory.ServiceKey, Encoding.UTF8.GetBytes(root.GetProperty("serviceKey").GetString()!));
        directory.WritePublic(directory.ServiceCertificate, Encoding.UTF8.GetBytes(root.GetProperty("serviceCertificate").GetString()!));
        directory.WritePublic(directory.NodeCertificate, Encoding.UTF8.GetBytes(root.GetProperty("nodeCertificate").GetString()!));
        directory.WriteSecret(directory.ServiceSecret, root.GetProperty("serviceSecret").GetBytesFromBase64());
        var ledgerType = root.GetProperty("ledgerType").GetString() == "private" ? LedgerType.Private : LedgerType.Public;
        if (ledgerType == LedgerType.Private)
        {
            WriteLedgerSecrets(directory, root);
        }

        var settings = new NodeSettings(
            root.GetProperty("ledgerId").GetString()!,
            ledgerType,
            root.GetProperty("initialAdministrator").GetString()!,
            Joined: true);
        directory.WritePublic(directory.Settings, settings.ToJson());
    }

    private static void WriteLedgerSecrets(DataDirectory directory, JsonElement root)
    {
        if (!root.TryGetProperty("ledgerSecrets", out var element))
        {
            throw new NodeStartException("The ledger is private, but its join answer carries no ledger secrets.");
        }

        List<Core.Encryption.LedgerSecret> secrets;
        try
        {
            secrets = LedgerSecretFile.Parse("The join answer's ledgerSecrets", element);
        }
        catch (InvalidDataException exception)
        {
            throw new NodeStartException(exception.Message, exception);
        }

        var json = LedgerSecretFile.ToJson(secrets);
        directory.WriteSecret(directory.LedgerSecret, json);
        CryptographicOperations.ZeroMemory(json);
        foreach (var secret in secrets)
        {
            secret.Dispose();
        }
    }

    // Asks again while the ledger holds the request for the consortium; a poll, ended by the
    // answer or the approval deadline.
    private static async Task<JsonDocument> AwaitAdmissionAsync(JoinOptions options, byte[] request, string nodeId, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + options.ApprovalTimeout;
        var told = false;
        while (true)
        {
            var answer = await RequestAdmissionAsync(options, request, cancellationToken);
            if (answer.RootElement.TryGetProperty("state", out var state) && state.GetString() == "Pending")
            {
                answer.Dispose();
                if (!told)
                {
                    options.WhilePending?.Invoke(nodeId);
                    told = true;
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new NodeStartException($"The consortium did not trust node {nodeId} within {options.ApprovalTimeout}; a member proposes transition_node_to_trusted with its id.");
                }

                await Task.Delay(options.RetryInterval, cancellationToken);
                continue;
            }

            return answer;
        }
    }

    private static async Task<JsonDocument> RequestAdmissionAsync(JoinOptions options, byte[] request, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = new SslClientAuthenticationOptions
            {
                EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls13,
                RemoteCertificateValidationCallback = (_, presented, _, errors) => ReachableAddress.ChainEndsAt(options.ServiceCertificate, presented, errors),
            },
        };
        using var client = new HttpClient(handler) { Timeout = options.Timeout };
        var target = new Uri($"https://{options.Target}/node/join");
        for (var redirects = 0; redirects <= MaxRedirects; redirects++)
        {
            using var content = new ByteArrayContent(request);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            HttpResponseMessage response;
            try
            {
                response = await client.PostAsync(target, content, cancellationToken);
            }
            catch (HttpRequestException exception)
            {
                var reason = exception.HttpRequestError == HttpRequestError.SecureConnectionError ? ServiceCertificatePin.HandshakeFailure(exception) : exception.Message;
                throw new NodeStartException($"The ledger at {target.Authority} cannot be reached: {reason}", exception);
            }

            using (response)
            {
                var body = await response.Content.ReadAsStringAsync(cancellationToken);
                if (response.StatusCode == System.Net.HttpStatusCode.TemporaryRedirect && response.Headers.Location is { } primary)
                {
                    target = primary;
                    continue;
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new NodeStartException($"The ledger at {target.Authority} refused to admit this node ({(int)response.StatusCode}): {body}");
                }

                return JsonDocument.Parse(body);
            }
        }

        throw new NodeStartException($"The ledger redirected the join more than {MaxRedirects} times; no primary answered.");
    }
}
