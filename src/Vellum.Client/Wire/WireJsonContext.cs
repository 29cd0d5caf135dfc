using System.Text.Json;
using System.Text.Json.Serialization;

namespace Vellum.Client.Wire;

/// <summary>
/// Source-generated JSON for every body the client sends or reads, so that no reflection runs per
/// request: camelCase names, nulls left out when writing, names matched in any case when reading.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EntryRequest))]
[JsonSerializable(typeof(WriteResponse))]
[JsonSerializable(typeof(BatchRequest))]
[JsonSerializable(typeof(BatchResponse))]
[JsonSerializable(typeof(EntryResponse))]
[JsonSerializable(typeof(EntryWire))]
[JsonSerializable(typeof(EntriesPage))]
[JsonSerializable(typeof(StatusResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(LedgerUser))]
[JsonSerializable(typeof(UsersPage))]
[JsonSerializable(typeof(LedgerUserMultipleRoles))]
[JsonSerializable(typeof(LedgerUsersPage))]
[JsonSerializable(typeof(RolePatch))]
[JsonSerializable(typeof(RolesPatch))]
[JsonSerializable(typeof(LedgerRole[]))]
[JsonSerializable(typeof(IdentityResponse))]
[JsonSerializable(typeof(CollectionsResponse))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
