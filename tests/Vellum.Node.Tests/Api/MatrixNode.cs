using System.Security.Cryptography;
using System.Text;
using Vellum.Node.Access;
using Vellum.Node.Tests.Jwt;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

/// <summary>
/// The node the authorization matrix runs against: one user per role for each kind of
/// authentication, a custom role granting a chosen subset of actions, a committed entry, and a
/// client for every <see cref="MatrixCaller"/>.
/// </summary>
public sealed class MatrixNode : IssuerNode
{
    public const string CustomRole = "matrix-custom";
    public const string ScratchUserId = "matrix-scratch-user";
    public const string ScratchRole = "matrix-scratch-role";

    private readonly Dictionary<string, HttpClient> _clients = [];
    private readonly List<IDisposable> _owned = [];

    /// <summary>
    /// What the custom role grants: a few reads, append, and removing (but not adding) users, plus
    /// a free-form action that grants no route.
    /// </summary>
    internal static IReadOnlyList<string> CustomActions { get; } =
    [
        LedgerActions.Append, LedgerActions.Read, LedgerActions.ReceiptsRead, LedgerActions.UsersRead,
        LedgerActions.UsersDelete, LedgerActions.RoleDefinitionsRead, "/banking/accounts/post",
    ];

    /// <summary>A committed entry in the default collection.</summary>
    internal string EntryId { get; private set; } = "";

    /// <summary>The tree size of a committed signed tree head, after <see cref="EntryId"/>.</summary>
    internal long SignedTreeSize { get; private set; }

    /// <summary>A user that exists for the whole run, in ACL's colon form.</summary>
    internal string ExistingUserId { get; private set; } = "";

    internal HttpClient ClientFor(MatrixCaller caller) => _clients[caller.Name];

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        await DefineRoleAsync(CustomRole, [.. CustomActions]);
        foreach (var caller in MatrixCaller.All)
        {
            _clients[caller.Name] = await CreateClientAsync(caller);
        }

        EntryId = await TestNode.AppendAsync(Admin, "matrix entry", waitForCommit: true);
        using var head = await Admin.GetAsync(TestNode.App("/app/tree/head"));
        SignedTreeSize = (await TestNode.ReadJsonAsync(head)).GetProperty("treeSize").GetInt64();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }
    }

    private async Task<HttpClient> CreateClientAsync(MatrixCaller caller)
    {
        switch (caller.Credential)
        {
            case CallerCredential.Certificate when caller.Role == RoleNames.Administrator:
                return Admin;
            case CallerCredential.Certificate:
                var certificate = caller.Role == RoleNames.Reader ? TestCertificates.CreateRsa() : TestCertificates.CreateEc(caller.Name);
                _owned.Add(certificate);
                if (caller.Role is not null)
                {
                    await SetRolesAsync(TestCertificates.ColonFingerprint(certificate), caller.Role);
                    if (caller.Role == RoleNames.Reader)
                    {
                        ExistingUserId = TestCertificates.ColonFingerprint(certificate);
                    }
                }

                return CertificateClient(certificate);
            case CallerCredential.BearerToken:
                var objectId = ObjectIdOf(caller);
                if (caller.Role is not null)
                {
                    await SetRolesAsync(objectId, caller.Role);
                }

                return TokenClient(Token(objectId, ec: caller.Role == RoleNames.Contributor));
            // Both name the token Administrator, so only the token itself can be why they fail.
            case CallerCredential.ExpiredToken:
                return TokenClient(Token(AdministratorObjectId, issuedAround: DateTimeOffset.UtcNow.AddHours(-2)));
            case CallerCredential.ForgedToken:
                return TokenClient(ForgedToken(AdministratorObjectId));
            default:
                return Node.Client(null);
        }
    }

    private static string AdministratorObjectId => ObjectIdOf(MatrixCaller.All.Single(caller => caller.Credential == CallerCredential.BearerToken && caller.Role == RoleNames.Administrator));

    // Each token caller has its own object id, derived from its name so that it is stable.
    private static string ObjectIdOf(MatrixCaller caller) => new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(caller.Name)).AsSpan(0, 16)).ToString();

    private string ForgedToken(string objectId)
    {
        using var other = TestSigningKey.Ec(Tenant.Ec.KeyId);
        var token = TestToken.For(Tenant.Issuer, other, DateTimeOffset.UtcNow);
        token.Claims["oid"] = objectId;
        return token.SignedBy(other);
    }
}
