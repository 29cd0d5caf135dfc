using Vellum.Node.Access;

namespace Vellum.Node.Authentication;

/// <summary>Who made a request: the user id and how it was proven.</summary>
internal sealed record Caller(UserId UserId, CallerProof Proof)
{
    private const string ItemKey = "Vellum.Caller";

    public void AttachTo(HttpContext context) => context.Items[ItemKey] = this;

    public static Caller Of(HttpContext context)
        => context.Items[ItemKey] as Caller ?? throw new InvalidOperationException("The request was not authenticated.");
}

/// <summary>How a caller proved its identity.</summary>
internal enum CallerProof
{
    /// <summary>A TLS client certificate; the user id is the SHA-256 of its DER encoding.</summary>
    ClientCertificate,

    /// <summary>A bearer token from a trusted issuer; the user id is its <c>oid</c> claim.</summary>
    BearerToken,
}
