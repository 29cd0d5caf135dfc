namespace Vellum.Node.Access;

/// <summary>How a <see cref="UserId"/> identifies its user.</summary>
public enum UserIdKind
{
    /// <summary>The SHA-256 fingerprint of the user's DER client certificate.</summary>
    Certificate,

    /// <summary>Any other id, such as a Microsoft Entra (AAD) object id; compared case-insensitively.</summary>
    Other,
}
