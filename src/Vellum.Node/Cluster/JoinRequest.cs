using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vellum.Node.Api;
using Vellum.Node.Replication;

namespace Vellum.Node.Cluster;

/// <summary>
/// What a joining node sends: <c>{"certificateRequest": base64 PKCS#10 DER, "attestation": base64
/// quote, "peerAddress": "host:port", "apiAddress": "host:port"}</c>.
/// </summary>
internal sealed record JoinRequest(CertificateRequest CertificateRequest, byte[] Attestation, string PeerAddress, string ApiAddress)
{
    public static byte[] Create(ECDsa nodeKey, byte[] attestation, string peerAddress, string apiAddress)
    {
        var request = new CertificateRequest("CN=Vellum joining node", nodeKey, HashAlgorithmName.SHA256);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBase64String("certificateRequest", request.CreateSigningRequest());
            writer.WriteBase64String("attestation", attestation);
            writer.WriteString("peerAddress", peerAddress);
            writer.WriteString("apiAddress", apiAddress);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <exception cref="ApiException">The body is malformed or the request's self-signature does not verify.</exception>
    public static JoinRequest Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, Api.RequestReading.BodyJson);
            var root = document.RootElement;
            var der = root.GetProperty("certificateRequest").GetBytesFromBase64();
            var attestation = root.GetProperty("attestation").GetBytesFromBase64();
            var peer = root.GetProperty("peerAddress").GetString()!;
            var api = root.GetProperty("apiAddress").GetString()!;
            Replication.PeerAddress.Parse(peer);
            Replication.PeerAddress.Parse(api);

            // Loading checks the request's signature, which proves the joiner holds the key.
            var request = CertificateRequest.LoadSigningRequest(der, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default);
            return new JoinRequest(request, attestation, peer, api);
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException or CryptographicException)
        {
            throw ApiException.BadRequest(ErrorCodes.InvalidRequestBody, $"The join request is malformed: {exception.Message}");
        }
    }
}
