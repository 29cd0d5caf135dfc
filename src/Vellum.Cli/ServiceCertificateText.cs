using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vellum.Core.Identity;

namespace Vellum.Cli;

/// <summary>
/// The trusted service certificate as a user supplies it: a PEM file, or the identity
/// endpoint's JSON response (<c>{"ledgerId":…,"ledgerTlsCertificate":"&lt;PEM&gt;"}</c>) saved as is.
/// </summary>
internal static class ServiceCertificateText
{
    private const string IdentityField = "ledgerTlsCertificate";

    /// <summary>
    /// Extracts the PEM from <paramref name="text"/> and checks that it is one X.509 certificate
    /// with an EC key, so that a wrong file is reported as such rather than as an invalid receipt.
    /// </summary>
    public static bool TryRead(string text, [NotNullWhen(true)] out string? pem, [NotNullWhen(false)] out string? error)
    {
        pem = null;
        var candidate = text;
        if (text.TrimStart().StartsWith('{') && !TryReadIdentityResponse(text, out candidate, out error))
        {
            return false;
        }

        try
        {
            using var certificate = Pem.ReadCertificate(candidate);
            using var key = certificate.GetECDsaPublicKey();
            if (key is null)
            {
                error = $"the service certificate's key is {certificate.PublicKey.Oid.FriendlyName ?? certificate.PublicKey.Oid.Value}, but ACL service certificates have EC keys";
                return false;
            }
        }
        catch (Exception exception) when (exception is FormatException or CryptographicException)
        {
            error = $"the service certificate is not a PEM X.509 certificate: {exception.Message}";
            return false;
        }

        pem = candidate;
        error = null;
        return true;
    }

    private static bool TryReadIdentityResponse(string json, [NotNullWhen(true)] out string? pem, [NotNullWhen(false)] out string? error)
    {
        pem = null;
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(IdentityField, out var field)
                && field.ValueKind == JsonValueKind.String)
            {
                pem = field.GetString()!;
                error = null;
                return true;
            }

            error = $"the service certificate file is JSON without a \"{IdentityField}\" string; give the PEM or the identity endpoint's response";
            return false;
        }
        catch (JsonException exception)
        {
            error = $"the service certificate file starts like JSON but is not valid JSON: {exception.Message}";
            return false;
        }
    }
}
