using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Vellum.Node.Governance.Voting;
using Vellum.Node.Tests.Jwt;

namespace Vellum.Node.Tests.Governance;

/// <summary><c>set_jwt_issuer</c> and <c>remove_jwt_issuer</c> in the consortium: their arguments, checked when proposed, and the trusted issuers they leave.</summary>
public sealed class JwtIssuerGovernanceTests : IDisposable
{
    private const string Issuer = "https://issuer.example/tenant";

    private readonly TestSigningKey _ec = TestSigningKey.Ec("gov-ec");
    private readonly TestSigningKey _rsa = TestSigningKey.Rsa("gov-rsa");
    private readonly Member _founder = NewMember("founder");
    private readonly Consortium _consortium;
    private int _proposals;

    public JwtIssuerGovernanceTests()
    {
        _consortium = new Consortium([_founder], recoveryThreshold: 1);
    }

    public void Dispose()
    {
        _ec.Dispose();
        _rsa.Dispose();
    }

    [Fact]
    public void AnAcceptedSetTrustsTheProposedKeysASecondSetReplacesThemAndARemovalEndsTheTrust()
    {
        Assert.Empty(_consortium.JwtIssuers);

        Assert.Equal(ProposalState.Accepted, Decide(Set(Issuer + "/", _ec, _rsa)).State);
        var trusted = Assert.Single(_consortium.JwtIssuers);
        Assert.Equal(Issuer, trusted.Key);
        Assert.Equal(["gov-ec", "gov-rsa"], trusted.Value.Keys.Keys.Order());
        Assert.Null(trusted.Value.Audiences);

        Assert.Equal(ProposalState.Accepted, Decide(SetWith(Issuer, new { audience = "api://ledger" }, _ec)).State);
        trusted = Assert.Single(_consortium.JwtIssuers);
        Assert.Equal(["gov-ec"], trusted.Value.Keys.Keys);
        Assert.Equal(["api://ledger"], trusted.Value.Audiences);

        Assert.Equal(ProposalState.Accepted, Decide(Action("remove_jwt_issuer", new { issuer = Issuer + "/" })).State);
        Assert.Empty(_consortium.JwtIssuers);
    }

    [Fact]
    public void RemovingAnIssuerTheConsortiumDoesNotTrustFailsTheWholeProposal()
    {
        var second = NewMember("second");

        var proposal = Decide(
            Action("set_member", new { cert = second.CertificatePem }),
            Set("https://other.example", _ec),
            Action("remove_jwt_issuer", new { issuer = Issuer }));

        Assert.Equal(ProposalState.Failed, proposal.State);
        Assert.Contains("is not a token issuer set by the consortium", proposal.FailureReason, StringComparison.Ordinal);
        Assert.Single(_consortium.Members);
        Assert.Empty(_consortium.JwtIssuers);
    }

    [Theory]
    [InlineData("""{"issuer":"http://issuer.example","jwks":{"keys":[]}}""", "must be an https URL")]
    [InlineData("""{"issuer":"https://issuer.example?tenant=1","jwks":{"keys":[]}}""", "must be an https URL")]
    [InlineData("""{"issuer":"https://user@issuer.example","jwks":{"keys":[]}}""", "must be an https URL")]
    [InlineData("""{"jwks":{"keys":[]}}""", "needs a non-empty string \"issuer\"")]
    [InlineData("""{"issuer":"https://issuer.example"}""", "needs \"jwks\"")]
    [InlineData("""{"issuer":"https://issuer.example","jwks":"{\"keys\":[]}"}""", "needs \"jwks\"")]
    [InlineData("""{"issuer":"https://issuer.example","jwks":{"keys":[]}}""", "has 0 key(s)")]
    [InlineData("""{"issuer":"https://issuer.example","jwks":{"keys":"none"}}""", "has no 'keys' array")]
    [InlineData("""{"issuer":"https://issuer.example","jwks":{"keys":[{"kty":"oct","kid":"k","k":"c2VjcmV0"}]}}""", "has 1 key(s), of which 0 usable")]
    [InlineData("""{"issuer":"https://issuer.example","jwks":KEYS,"auto_refresh":true}""", "cannot take \"auto_refresh\": true")]
    [InlineData("""{"issuer":"https://issuer.example","jwks":KEYS,"auto_refresh":"false"}""", "must be the JSON boolean false")]
    [InlineData("""{"issuer":"https://issuer.example","jwks":KEYS,"audience":""}""", "\"audience\" of set_jwt_issuer must not be empty")]
    [InlineData("""{"issuer":"https://issuer.example","jwks":KEYS,"key_filter":"all"}""", "takes no \"key_filter\"")]
    public void MalformedSetArgumentsAreRefusedWhenProposed(string args, string message)
    {
        var action = new GovernanceAction("set_jwt_issuer", JsonDocument.Parse(args.Replace("KEYS", KeySet(_ec), StringComparison.Ordinal)).RootElement.Clone());

        var refused = Assert.Throws<GovernanceException>(() => _consortium.CheckProposal(_founder.Id, [action]));

        Assert.Equal("ProposalInvalid", refused.Code);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AKeySetWithAWeakKeyOrARepeatedKeyIdIsRefusedWholeWhenProposed()
    {
        using var weak = TestSigningKey.DistinctRsa("weak", bits: 1024);
        using var twin = TestSigningKey.Ec("gov-ec");

        foreach (var keys in new[] { new[] { _ec, weak }, [_ec, twin] })
        {
            var refused = Assert.Throws<GovernanceException>(() => _consortium.CheckProposal(_founder.Id, [Set(Issuer, keys)]));
            Assert.Contains("has 2 key(s), of which 1 usable", refused.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{}""", "needs a non-empty string \"issuer\"")]
    [InlineData("""{"issuer":"ftp://issuer.example"}""", "must be an https URL")]
    [InlineData("""{"issuer":"https://issuer.example","jwks":{"keys":[]}}""", "takes no \"jwks\"")]
    public void MalformedRemoveArgumentsAreRefusedWhenProposed(string args, string message)
    {
        var action = new GovernanceAction("remove_jwt_issuer", JsonDocument.Parse(args).RootElement.Clone());

        var refused = Assert.Throws<GovernanceException>(() => _consortium.CheckProposal(_founder.Id, [action]));

        Assert.Equal("ProposalInvalid", refused.Code);
        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    private Proposal Decide(params GovernanceAction[] actions)
    {
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"proposal {_proposals++}")));
        var proposal = _consortium.Propose(_founder.Id, id, actions);
        _consortium.Vote(_founder.Id, id, inFavour: true);
        return proposal;
    }

    private static GovernanceAction Set(string issuer, params TestSigningKey[] keys) => SetWith(issuer, new { }, keys);

    private static GovernanceAction SetWith(string issuer, object extra, params TestSigningKey[] keys)
    {
        var args = JsonSerializer.SerializeToNode(extra)!.AsObject();
        args["issuer"] = issuer;
        args["jwks"] = System.Text.Json.Nodes.JsonNode.Parse(KeySet(keys));
        return new GovernanceAction("set_jwt_issuer", JsonSerializer.SerializeToElement(args));
    }

    private static string KeySet(params TestSigningKey[] keys) => JsonSerializer.Serialize(new { keys = keys.Select(key => key.ToJwk()) });

    private static GovernanceAction Action(string name, object args) => new(name, JsonSerializer.SerializeToElement(args));

    private static Member NewMember(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return new Member(Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)), certificate.ExportCertificatePem(), null);
    }
}
