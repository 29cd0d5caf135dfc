namespace Vellum.Cli.Connection;

/// <summary>
/// A named set of connection settings kept in the profile file: where the ledger is, the identity
/// to pin, and who to call as. Every field may be missing; flags given on the command line fill or
/// override them.
/// </summary>
/// <param name="Target">The node, as <c>HOST:PORT</c> or <c>https://HOST:PORT</c>.</param>
/// <param name="ServiceCert">The service certificate file (PEM, or the identity endpoint's JSON).</param>
/// <param name="Cert">The caller's certificate file (PEM).</param>
/// <param name="Key">The caller's private key file (PEM).</param>
/// <param name="TokenFile">A file holding a bearer token, read before every request.</param>
internal sealed record ConnectionProfile(string? Target, string? ServiceCert, string? Cert, string? Key, string? TokenFile)
{
    /// <summary>A profile with no settings, standing in when none is used.</summary>
    public static readonly ConnectionProfile Empty = new(null, null, null, null, null);

    /// <summary>Whether the profile names a caller, by certificate or by token.</summary>
    public bool HasCredential => Cert is not null || Key is not null || TokenFile is not null;
}
