using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vellum.Node.Tests.Jwt;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Api;

/// <summary>
/// A real node that trusts a real local OpenID issuer, so tests can call it with client
/// certificates and with bearer tokens the issuer signs. Each test class gets its own.
/// </summary>
public class IssuerNode : IAsyncLifetime
{
    // A member without an encryption key: the ledger deals no recovery shares.
    private static readonly System.Security.Cryptography.X509Certificates.X509Certificate2 KeylessMember = TestCertificates.CreateEc("Keyless Member");

    private readonly LocalOpenIdIssuer _issuer = new();
    private TestTenant? _tenant;
    private TestNode? _node;
    private HttpClient? _admin;

    internal TestNode Node => _node ?? throw new InvalidOperationException("The node is not started.");

    internal TestTenant Tenant => _tenant ?? throw new InvalidOperationException("The issuer is not started.");

    /// <summary>A client presenting the initial Administrator's certificate.</summary>
    internal HttpClient Admin => _admin ??= Node.AdminClient();

    public virtual async Task InitializeAsync()
    {
        await _issuer.InitializeAsync();
        _tenant = _issuer.CreateTenant();
        var jwt = _issuer.Options(TimeProvider.System, _tenant);
        _node = await TestNode.StartAsync(options => new NodeOptions { DataDirectory = options.DataDirectory, Listen = options.Listen, Jwt = jwt, MemberCertificate = KeylessMember });
    }

    public virtual async Task DisposeAsync()
    {
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        await _issuer.DisposeAsync();
    }

    /// <summary>A token for <paramref name="objectId"/>, valid now, signed with the tenant's RSA or EC key.</summary>
    internal string Token(string objectId, bool ec = false, DateTimeOffset? issuedAround = null)
    {
        var key = ec ? Tenant.Ec : Tenant.Rsa;
        var token = TestToken.For(Tenant.Issuer, key, issuedAround ?? DateTimeOffset.UtcNow);
        token.Claims["oid"] = objectId;
        return token.SignedBy(key);
    }

    internal HttpClient CertificateClient(X509Certificate2 certificate) => Node.Client(certificate);

    internal HttpClient TokenClient(string token) => Node.Client(null, token);

    /// <summary>Gives <paramref name="userId"/> exactly <paramref name="roles"/> through the Administrator.</summary>
    internal async Task SetRolesAsync(string userId, params string[] roles)
    {
        using var response = await Admin.PatchAsync(
            TestNode.App($"/app/ledgerUsers/{Uri.EscapeDataString(userId)}"),
            TestNode.Json(JsonSerializer.Serialize(new { assignedRoles = roles }), "application/merge-patch+json"));
        await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
    }

    /// <summary>Defines (or redefines) the custom role <paramref name="name"/> through the Administrator.</summary>
    internal async Task DefineRoleAsync(string name, params string[] actions)
    {
        using var response = await Admin.PutAsync(
            TestNode.App("/app/roles"),
            TestNode.Json(JsonSerializer.Serialize(new[] { new { roleName = name, roleActions = actions } })));
        await ApiAssert.StatusAsync(response, HttpStatusCode.OK);
    }

    /// <summary>
    /// The node's last appended seqno, as <c>/node/state</c> reports it without credentials, once
    /// everything appended before is committed: so that two readings differ only by what was
    /// appended between them, not by a signature that was still due for earlier writes.
    /// </summary>
    internal async Task<long> SettledLastSeqnoAsync()
    {
        await Node.Node.Node.Commits.WaitCommittedAsync(await LastSeqnoAsync(), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        return await LastSeqnoAsync();
    }

    private async Task<long> LastSeqnoAsync()
    {
        using var response = await Node.Client(null).GetAsync("/node/state");
        return (await TestNode.ReadJsonAsync(response)).GetProperty("lastSeqno").GetInt64();
    }

    internal static HttpRequestMessage Request(HttpMethod method, string path, string? json = null, string mediaType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = TestNode.Json(json, mediaType);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }
}
