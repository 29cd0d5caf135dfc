namespace Vellum.Node.Access;

/// <summary>
/// Bounds on the access-control model. Each one keeps a single request, a single ledger record
/// and the precomputed per-user action sets small, so one administrator cannot make every later
/// authorisation check or restart slow.
/// </summary>
public static class AccessLimits
{
    /// <summary>Longest accepted user id, in UTF-16 characters.</summary>
    public const int MaxUserIdLengthChars = 256;

    /// <summary>Longest accepted role name, in UTF-16 characters.</summary>
    public const int MaxRoleNameLengthChars = 128;

    /// <summary>Longest accepted action string, in UTF-16 characters.</summary>
    public const int MaxActionLengthChars = 512;

    /// <summary>Most roles one user may hold at once, in roles.</summary>
    public const int MaxRolesPerUser = 32;

    /// <summary>Most actions one custom role may grant, in actions.</summary>
    public const int MaxActionsPerRole = 256;

    /// <summary>Most custom roles the ledger may define at once, in roles (built-in roles not counted).</summary>
    public const int MaxCustomRoles = 1024;

    /// <summary>Most role definitions one <c>/app/roles</c> request body may carry, in roles.</summary>
    public const int MaxRolesPerRequest = 64;

    /// <summary>
    /// Most changes one <c>vellum:access</c> record may hold, in changes: as many as it takes to
    /// define every custom role at once. A request makes one record, so this must be at least
    /// <see cref="MaxRolesPerRequest"/>; being larger, it lets that limit grow without a new record
    /// format, which nodes of an earlier build could not read.
    /// </summary>
    public const int MaxChangesPerRecord = MaxCustomRoles;
}
