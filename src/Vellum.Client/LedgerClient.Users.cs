using System.Runtime.CompilerServices;
using System.Text.Json;
using Vellum.Client.Http;
using Vellum.Client.Wire;

namespace Vellum.Client;

/// <summary>Users, roles and collections. Every change is a ledger transaction, answered once it is committed.</summary>
public sealed partial class LedgerClient
{
    /// <summary>Reads a user and its role (ACL's <c>GetUser</c>).</summary>
    /// <param name="userId">A certificate fingerprint (either form) or a token's object id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerRequestException">No such user (404 <c>UserNotFound</c>), or another refusal.</exception>
    public Task<LedgerUser> GetUserAsync(string userId, CancellationToken cancellationToken = default) =>
        _pipeline.SendForJsonAsync(LedgerRequest.Get(UserPath("users", userId)), WireJsonContext.Default.LedgerUser, cancellationToken);

    /// <summary>Adds a user with one role, or replaces an existing user's roles with it (ACL's <c>CreateOrUpdateUser</c>).</summary>
    /// <param name="userId">A certificate fingerprint (either form) or a token's object id.</param>
    /// <param name="assignedRole">The role, such as <c>Reader</c>, <c>Contributor</c>, <c>Administrator</c> or a custom one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerRequestException">The role does not exist (400 <c>RoleNotFound</c>), the caller may not manage users, or another refusal.</exception>
    public Task<LedgerUser> CreateOrUpdateUserAsync(string userId, string assignedRole, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(assignedRole);
        var body = JsonSerializer.SerializeToUtf8Bytes(new RolePatch(assignedRole), WireJsonContext.Default.RolePatch);
        return _pipeline.SendForJsonAsync(Write(HttpMethod.Patch, UserPath("users", userId), body, LedgerRequest.MergePatch), WireJsonContext.Default.LedgerUser, cancellationToken);
    }

    /// <summary>Removes a user (ACL's <c>DeleteUser</c>).</summary>
    /// <param name="userId">A certificate fingerprint (either form) or a token's object id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerRequestException">No such user (404 <c>UserNotFound</c>), the last Administrator (409 <c>LastAdministrator</c>), or another refusal.</exception>
    public Task DeleteUserAsync(string userId, CancellationToken cancellationToken = default) =>
        _pipeline.SendForSuccessAsync(Write(HttpMethod.Delete, UserPath("users", userId), null, LedgerRequest.Json), cancellationToken);

    /// <summary>Lists every user with one role each (ACL's <c>GetUsers</c>), following pages.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    public async IAsyncEnumerable<LedgerUser> GetUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? link = _pipeline.App("/app/users");
        while (link is not null)
        {
            var page = await _pipeline.SendForJsonAsync(LedgerRequest.Get(link), WireJsonContext.Default.UsersPage, cancellationToken).ConfigureAwait(false);
            foreach (var user in page.LedgerUsers ?? [])
            {
                yield return user;
            }

            link = page.NextLink is null ? null : _pipeline.NextLink(page.NextLink);
        }
    }

    /// <summary>Reads a user and every role it holds (ACL's <c>GetLedgerUser</c>).</summary>
    /// <param name="userId">A certificate fingerprint (either form) or a token's object id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerRequestException">No such user (404 <c>UserNotFound</c>), or another refusal.</exception>
    public Task<LedgerUserMultipleRoles> GetLedgerUserAsync(string userId, CancellationToken cancellationToken = default) =>
        _pipeline.SendForJsonAsync(LedgerRequest.Get(UserPath("ledgerUsers", userId)), WireJsonContext.Default.LedgerUserMultipleRoles, cancellationToken);

    /// <summary>Adds a user with several roles, or replaces an existing user's roles (ACL's <c>CreateOrUpdateLedgerUser</c>).</summary>
    /// <param name="userId">A certificate fingerprint (either form) or a token's object id.</param>
    /// <param name="assignedRoles">The roles, built-in or custom; at least one.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerRequestException">A role does not exist, the list is empty, or another refusal.</exception>
    public Task<LedgerUserMultipleRoles> CreateOrUpdateLedgerUserAsync(string userId, IEnumerable<string> assignedRoles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignedRoles);
        var body = JsonSerializer.SerializeToUtf8Bytes(new RolesPatch([.. assignedRoles]), WireJsonContext.Default.RolesPatch);
        var request = Write(HttpMethod.Patch, UserPath("ledgerUsers", userId), body, LedgerRequest.MergePatch);
        return _pipeline.SendForJsonAsync(request, WireJsonContext.Default.LedgerUserMultipleRoles, cancellationToken);
    }

    /// <summary>Lists every user with all its roles (ACL's <c>GetLedgerUsers</c>), following pages.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    public async IAsyncEnumerable<LedgerUserMultipleRoles> GetLedgerUsersAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? link = _pipeline.App("/app/ledgerUsers");
        while (link is not null)
        {
            var page = await _pipeline.SendForJsonAsync(LedgerRequest.Get(link), WireJsonContext.Default.LedgerUsersPage, cancellationToken).ConfigureAwait(false);
            foreach (var user in page.LedgerUsers ?? [])
            {
                yield return user;
            }

            link = page.NextLink is null ? null : _pipeline.NextLink(page.NextLink);
        }
    }

    /// <summary>Lists every role, built-in and custom, with its actions.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<LedgerRole>> GetRolesAsync(CancellationToken cancellationToken = default) =>
        await _pipeline.SendForJsonAsync(LedgerRequest.Get(_pipeline.App("/app/roles")), WireJsonContext.Default.LedgerRoleArray, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads one role (ACL's <c>GetUserDefinedRole</c>).</summary>
    /// <param name="roleName">The role's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerRequestException">No such role (404 <c>RoleNotFound</c>), or another refusal.</exception>
    public async Task<LedgerRole> GetRoleAsync(string roleName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(roleName);
        var path = _pipeline.App(new QueryBuilder("/app/roles").Add("roleName", roleName).ToString());
        var roles = await _pipeline.SendForJsonAsync(LedgerRequest.Get(path), WireJsonContext.Default.LedgerRoleArray, cancellationToken).ConfigureAwait(false);
        return roles.Length == 1 ? roles[0] : throw new LedgerRequestException(200, LedgerRequestException.InvalidResponseCode, $"Asked for role {roleName}, the ledger answered with {roles.Length} roles.");
    }

    /// <summary>Defines custom roles, replacing any of the same names (ACL's <c>CreateUserDefinedRole</c>, <c>PUT /app/roles</c>).</summary>
    /// <param name="roles">The roles and their actions.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerRequestException">A built-in role is named (400 <c>BuiltInRoleImmutable</c>), a name or action is invalid, or another refusal.</exception>
    public Task CreateOrReplaceRolesAsync(IEnumerable<LedgerRole> roles, CancellationToken cancellationToken = default) =>
        _pipeline.SendForSuccessAsync(Write(HttpMethod.Put, _pipeline.App("/app/roles"), RolesBody(roles), LedgerRequest.Json), cancellationToken);

    /// <summary>Replaces the actions of existing custom roles (ACL's <c>UpdateUserDefinedRole</c>, <c>PATCH /app/roles</c>).</summary>
    /// <param name="roles">The roles and their new actions; every one must exist.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerRequestException">A role does not exist (404 <c>RoleNotFound</c>), or another refusal.</exception>
    public Task UpdateRolesAsync(IEnumerable<LedgerRole> roles, CancellationToken cancellationToken = default) =>
        _pipeline.SendForSuccessAsync(Write(HttpMethod.Patch, _pipeline.App("/app/roles"), RolesBody(roles), LedgerRequest.MergePatch), cancellationToken);

    /// <summary>Removes a custom role (ACL's <c>DeleteUserDefinedRole</c>).</summary>
    /// <param name="roleName">The role's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="LedgerRequestException">No such role (404 <c>RoleNotFound</c>), a role still assigned (409 <c>RoleInUse</c>), or another refusal.</exception>
    public Task DeleteRoleAsync(string roleName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(roleName);
        var path = _pipeline.App(new QueryBuilder("/app/roles").Add("roleName", roleName).ToString());
        return _pipeline.SendForSuccessAsync(Write(HttpMethod.Delete, path, null, LedgerRequest.Json), cancellationToken);
    }

    /// <summary>Lists the ledger's collections (ACL's <c>GetCollections</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<string>> GetCollectionsAsync(CancellationToken cancellationToken = default)
    {
        var collections = new List<string>();
        string? link = _pipeline.App("/app/collections");
        while (link is not null)
        {
            var page = await _pipeline.SendForJsonAsync(LedgerRequest.Get(link), WireJsonContext.Default.CollectionsResponse, cancellationToken).ConfigureAwait(false);
            collections.AddRange((page.Collections ?? []).Select(c => c.CollectionId).OfType<string>());
            link = page.NextLink is null ? null : _pipeline.NextLink(page.NextLink);
        }

        return collections;
    }

    // User and role changes set a state rather than add to it, so repeating one is harmless and they may be retried.
    private static LedgerRequest Write(HttpMethod method, string path, byte[]? body, string contentType) =>
        new(method, path, body, contentType, Idempotent: true);

    private string UserPath(string route, string userId)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        return _pipeline.App($"/app/{route}/{Uri.EscapeDataString(userId)}");
    }

    private static byte[] RolesBody(IEnumerable<LedgerRole> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        return JsonSerializer.SerializeToUtf8Bytes([.. roles], WireJsonContext.Default.LedgerRoleArray);
    }
}
