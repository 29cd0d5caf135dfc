using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Vellum.Node.Tests.Api;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Governance;

/// <summary>The consortium over HTTP: the first member made at creation, proposals and ballots by members' certificates, and the state after a restart.</summary>
public sealed class GovernanceApiTests : IAsyncLifetime
{
    private TestNode _node = null!;
    private X509Certificate2 _founder = null!;

    public async Task InitializeAsync()
    {
        _node = await TestNode.StartAsync();
        _founder = TestCertificates.FirstMember(_node.DataDirectory);
    }

    public async Task DisposeAsync()
    {
        await _node.DisposeAsync();
        _founder.Dispose();
    }

    [Fact]
    public async Task ANewLedgersFirstMemberIsItsWholeConsortiumAndAclListsIt()
    {
        var members = await GetAsync(_node.Client(null), "/gov/members");
        var only = Assert.Single(members.GetProperty("members").EnumerateArray());
        Assert.Equal(IdOf(_founder), only.GetProperty("memberId").GetString());
        Assert.Equal(1, members.GetProperty("recoveryThreshold").GetInt32());

        var acl = await GetAsync(_node.AdminClient(), TestNode.App("/app/governance/members"));
        Assert.Equal(IdOf(_founder), Assert.Single(acl.GetProperty("members").EnumerateArray()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task MembersAddAMemberAndThenBothAreNeededAndTheStateSurvivesARestart()
    {
        using var second = NewMemberCertificate();
        var founder = _node.Client(_founder);
        var added = await ProposeAsync(founder, "set_member", new { cert = second.ExportCertificatePem() });
        Assert.Equal("Open", added.GetProperty("state").GetString());
        Assert.Equal(IdOf(_founder), added.GetProperty("proposerId").GetString());
        Assert.Equal("Accepted", (await VoteAsync(founder, added, true)).GetProperty("state").GetString());

        var raise = await ProposeAsync(_node.Client(second), "set_recovery_threshold", new { recovery_threshold = 1 });
        Assert.Equal("Open", (await VoteAsync(_node.Client(second), raise, true)).GetProperty("state").GetString());
        var accepted = await VoteAsync(founder, raise, true);
        Assert.Equal("Accepted", accepted.GetProperty("state").GetString());
        Assert.True(accepted.GetProperty("ballots").GetProperty(IdOf(second)).GetBoolean());

        await _node.RestartAsync();
        var members = await GetAsync(_node.Client(null), "/gov/members");
        Assert.Equal(2, members.GetProperty("members").GetArrayLength());
        var proposals = await GetAsync(_node.Client(null), "/gov/proposals");
        Assert.Equal(["Accepted", "Accepted"], proposals.GetProperty("proposals").EnumerateArray().Select(p => p.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task EachGovernanceWriteIsAnsweredWithTheIdOfTheRecordItWrote()
    {
        const string Proposal = "{\"actions\":[{\"name\":\"set_recovery_threshold\",\"args\":{\"recovery_threshold\":1}}]}";
        var founder = _node.Client(_founder);

        using var proposed = await founder.PostAsync("/gov/proposals", TestNode.Json(Proposal));
        await AssertAnsweredWithItsRecordAsync(proposed);
        using var withdrawn = await founder.PostAsync($"/gov/proposals/{Id(await TestNode.ReadJsonAsync(proposed))}/withdraw", null);
        await AssertAnsweredWithItsRecordAsync(withdrawn);
        using var again = await founder.PostAsync("/gov/proposals", TestNode.Json(Proposal));
        using var voted = await founder.PostAsync($"/gov/proposals/{Id(await TestNode.ReadJsonAsync(again))}/ballots", TestNode.Json("{\"ballot\":true}"));
        await AssertAnsweredWithItsRecordAsync(voted);

        async Task AssertAnsweredWithItsRecordAsync(HttpResponseMessage response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            var recordedIn = Core.TransactionId.Parse(Assert.Single(response.Headers.GetValues("x-ms-ccf-transaction-id")));
            var write = Core.Entries.EntryCodec.ReadWrite(_node.Node.Node.Ledger.ReadEntry(recordedIn.Seqno));
            Assert.Equal("vellum:gov", System.Text.Encoding.UTF8.GetString(write.CollectionId));
            Assert.Equal(recordedIn, write.Header.Id);
        }
    }

    [Fact]
    public async Task OnlyMembersTakePartBallotsAreFinalAndOnlyTheProposerWithdraws()
    {
        using var second = NewMemberCertificate();
        var founder = _node.Client(_founder);
        await VoteAsync(founder, await ProposeAsync(founder, "set_member", new { cert = second.ExportCertificatePem() }), true);

        using var byUser = await _node.AdminClient().PostAsync("/gov/proposals", TestNode.Json("{\"actions\":[{\"name\":\"set_recovery_threshold\",\"args\":{\"recovery_threshold\":1}}]}"));
        await ApiAssert.ErrorAsync(byUser, HttpStatusCode.Forbidden, "NotAMember");
        using var anonymous = await _node.Client(null).PostAsync("/gov/proposals", TestNode.Json("{\"actions\":[{\"name\":\"set_recovery_threshold\",\"args\":{\"recovery_threshold\":1}}]}"));
        await ApiAssert.ErrorAsync(anonymous, HttpStatusCode.Unauthorized, "Unauthorized");

        var open = await ProposeAsync(founder, "set_recovery_threshold", new { recovery_threshold = 1 });
        Assert.Equal("Open", (await VoteAsync(founder, open, true)).GetProperty("state").GetString());
        using var again = await founder.PostAsync($"/gov/proposals/{Id(open)}/ballots", TestNode.Json("{\"ballot\":false}"));
        await ApiAssert.ErrorAsync(again, HttpStatusCode.Conflict, "AlreadyVoted");
        using var notTheirs = await _node.Client(second).PostAsync($"/gov/proposals/{Id(open)}/withdraw", null);
        await ApiAssert.ErrorAsync(notTheirs, HttpStatusCode.Forbidden, "NotTheProposer");

        using var withdrawn = await founder.PostAsync($"/gov/proposals/{Id(open)}/withdraw", null);
        Assert.Equal("Withdrawn", (await TestNode.ReadJsonAsync(withdrawn)).GetProperty("state").GetString());
        using var late = await _node.Client(second).PostAsync($"/gov/proposals/{Id(open)}/ballots", TestNode.Json("{\"ballot\":true}"));
        await ApiAssert.ErrorAsync(late, HttpStatusCode.Conflict, "ProposalNotOpen");
    }

    [Fact]
    public async Task APrettyPrintedProposalWithEscapesIsAnsweredWithTheIdOfItsBodyAsPostedAndKeepsItAfterARestart()
    {
        // A '+' and a '/' in the certificate's base64: .NET's JSON writer escapes the first as \u002B and the second, written here as \/, not at all.
        using var second = NewMemberCertificateWith('+', '/');
        var pem = "Zoë's certificate\n" + second.ExportCertificatePem();
        var escapedPem = pem.Replace("\n", "\\n", StringComparison.Ordinal).Replace("/", "\\/", StringComparison.Ordinal);
        var body = $$"""
            {
              "actions": [
                {
                  "name": "set_member",
                  "args": { "cert": "{{escapedPem}}" }
                }
              ]
            }

            """;
        var bodyBytes = System.Text.Encoding.UTF8.GetBytes(body);
        Assert.Contains("\\/", body, StringComparison.Ordinal);

        using var response = await _node.Client(_founder).PostAsync("/gov/proposals", new ByteArrayContent(bodyBytes) { Headers = { ContentType = new("application/json") } });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var answered = await TestNode.ReadJsonAsync(response);
        var id = Id(answered);
        Assert.Equal("Open", answered.GetProperty("state").GetString());
        // The id is the SHA-256 of the body as posted (bar the whitespace around it), "@" and the
        // transaction that records it, which the answer's transaction id names.
        var posted = System.Text.Encoding.UTF8.GetBytes(body.TrimEnd());
        var recordedIn = Assert.Single(response.Headers.GetValues("x-ms-ccf-transaction-id"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData([.. posted, .. System.Text.Encoding.ASCII.GetBytes("@" + recordedIn)])), id);
        await GetAsync(_node.Client(null), $"/gov/proposals/{id}");

        await _node.RestartAsync();
        Assert.Equal("Accepted", (await VoteAsync(_node.Client(_founder), answered, true)).GetProperty("state").GetString());
        var members = await GetAsync(_node.Client(null), "/gov/members");
        Assert.Contains(members.GetProperty("members").EnumerateArray(), member => member.GetProperty("certificate").GetString() == pem);
    }

    [Fact]
    public async Task MalformedUnsupportedAndUnknownRequestsAreRefusedAndRecordNothing()
    {
        var founder = _node.Client(_founder);
        var before = _node.Node.Committed;
        using var unsupported = await founder.PostAsync("/gov/proposals", TestNode.Json("{\"actions\":[{\"name\":\"transition_service_to_open\",\"args\":{\"next_service_identity\":\"not a certificate\"}}]}"));
        await ApiAssert.ErrorAsync(unsupported, HttpStatusCode.BadRequest, "ProposalInvalid");
        using var malformed = await founder.PostAsync("/gov/proposals", TestNode.Json("{\"actions\":[{\"name\":\"set_member\",\"args\":{\"cert\":\"no\"}}]}"));
        await ApiAssert.ErrorAsync(malformed, HttpStatusCode.BadRequest, "ProposalInvalid");
        using var twice = await founder.PostAsync("/gov/proposals", TestNode.Json("{\"actions\":[{\"name\":\"set_recovery_threshold\",\"args\":{\"recovery_threshold\":1,\"recovery_threshold\":2}}]}"));
        await ApiAssert.ErrorAsync(twice, HttpStatusCode.BadRequest, "ProposalInvalid");
        using var badBallot = await founder.PostAsync($"/gov/proposals/{new string('b', 64)}/ballots", TestNode.Json("{\"ballot\":\"yes\"}"));
        await ApiAssert.ErrorAsync(badBallot, HttpStatusCode.BadRequest, "BallotInvalid");
        using var twiceBallot = await founder.PostAsync($"/gov/proposals/{new string('b', 64)}/ballots", TestNode.Json("{\"ballot\":true,\"ballot\":false}"));
        await ApiAssert.ErrorAsync(twiceBallot, HttpStatusCode.BadRequest, "BallotInvalid");
        using var extraBallot = await founder.PostAsync($"/gov/proposals/{new string('b', 64)}/ballots", TestNode.Json("{\"ballot\":true,\"reason\":\"why not\"}"));
        await ApiAssert.ErrorAsync(extraBallot, HttpStatusCode.BadRequest, "BallotInvalid");
        foreach (var (extra, member) in new[]
        {
            ("{\"actions\":[{\"name\":\"trigger_ledger_rekey\"}],\"note\":1}", "The proposal has no member \"note\""),
            ("{\"actions\":[{\"name\":\"set_recovery_threshold\",\"arg\":{\"recovery_threshold\":1}}]}", "An action has no member \"arg\""),
        })
        {
            using var refused = await founder.PostAsync("/gov/proposals", TestNode.Json(extra));
            Assert.Contains(member, await ApiAssert.ErrorAsync(refused, HttpStatusCode.BadRequest, "ProposalInvalid"), StringComparison.Ordinal);
        }

        using var unknown = await founder.PostAsync($"/gov/proposals/{new string('b', 64)}/ballots", TestNode.Json("{\"ballot\":true}"));
        await ApiAssert.ErrorAsync(unknown, HttpStatusCode.NotFound, "ProposalNotFound");

        Assert.Empty((await GetAsync(_node.Client(null), "/gov/proposals")).GetProperty("proposals").EnumerateArray());
        Assert.Equal(before, _node.Node.Committed);
    }

    [Fact]
    public async Task AProposalNestedAsDeepAsJsonIsReadIsRecordedAndTheLedgerStillStarts()
    {
        // 64 levels: the object, "actions", the action, "args", "jwks", "keys", a key and 57
        // arrays in a member of that key (JWKs may carry members no one reads); its record is one
        // level deeper.
        var nested = new string('[', 57) + new string(']', 57);
        using var key = Jwt.TestSigningKey.Ec("deep");
        var jwk = JsonSerializer.Serialize(key.ToJwk());
        var body = $"{{\"actions\":[{{\"name\":\"set_jwt_issuer\",\"args\":{{\"issuer\":\"https://deep.example\",\"jwks\":{{\"keys\":[{jwk[..^1]},\"x-deep\":{nested}}}]}}}}}}]}}";
        using var response = await _node.Client(_founder).PostAsync("/gov/proposals", TestNode.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var proposed = await TestNode.ReadJsonAsync(response);

        await _node.RestartAsync();
        Assert.Equal("Accepted", (await VoteAsync(_node.Client(_founder), proposed, true)).GetProperty("state").GetString());
        using var deeper = await _node.Client(_founder).PostAsync("/gov/proposals", TestNode.Json(body.Replace(nested, $"[{nested}]", StringComparison.Ordinal)));
        await ApiAssert.ErrorAsync(deeper, HttpStatusCode.BadRequest, "ProposalInvalid");
    }

    [Fact]
    public async Task AMemberEncryptionKeyTheDealerCouldNotDealToIsRefusedWhenProposedAndRecordsNothing()
    {
        using var second = NewMemberCertificate();
        using var small = RSA.Create(1024);
        using var elliptic = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var before = _node.Node.Committed;
        foreach (var (key, why) in new[]
        {
            (small.ExportSubjectPublicKeyInfoPem(), "1024 bits"),
            (elliptic.ExportSubjectPublicKeyInfoPem(), "RSA"),
            ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "RSA"),
        })
        {
            var body = JsonSerializer.Serialize(new { actions = new[] { new { name = "set_member", args = new { cert = second.ExportCertificatePem(), encryption_pub_key = key } } } });
            using var response = await _node.Client(_founder).PostAsync("/gov/proposals", TestNode.Json(body));
            await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "ProposalInvalid");
            var error = await response.Content.ReadAsStringAsync();
            Assert.Contains("encryption_pub_key", error, StringComparison.Ordinal);
            Assert.Contains(why, error, StringComparison.Ordinal);
        }

        Assert.Empty((await GetAsync(_node.Client(null), "/gov/proposals")).GetProperty("proposals").EnumerateArray());
        Assert.Equal(before, _node.Node.Committed);
    }

    [Theory]
    [InlineData("{\"actions\":[{\"name\":\"set_recovery_threshold\",\"args\":{\"recovery_threshold\":1,\"x\":\"\\ud800\"}}]}")]
    [InlineData("{\"actions\":[{\"name\":\"set_recovery_threshold\",\"args\":{\"recovery_threshold\":1}}],\"note\":\"<FF>\"}")]
    [InlineData("{\"actions\":[{\"name\":\"set_recovery_threshold\",\"args\":{\"recovery_threshold\":1}}],\"\\udc00\":1}")]
    public async Task AProposalWithInvalidTextInAMemberItsActionsDoNotReadIsRefusedAndProposalsStillList(string body)
    {
        var before = _node.Node.Committed;
        using var content = new ByteArrayContent(Utf8Bytes.WithByteFF(body)) { Headers = { ContentType = new("application/json") } };

        using var response = await _node.Client(_founder).PostAsync("/gov/proposals", content);

        await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "ProposalInvalid");
        Assert.Empty((await GetAsync(_node.Client(null), "/gov/proposals")).GetProperty("proposals").EnumerateArray());
        Assert.Equal(before, _node.Node.Committed);
    }

    [Fact]
    public async Task ACertificatePastedWithItsPrivateKeyOrASecondCertificateIsRefusedWhenProposed()
    {
        using var second = NewMemberCertificate();
        using var third = NewMemberCertificate();
        var before = _node.Node.Committed;
        foreach (var pem in new[]
        {
            second.ExportCertificatePem() + "\n" + second.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem(),
            second.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n" + second.ExportCertificatePem(),
            second.ExportCertificatePem() + "\n" + third.ExportCertificatePem(),
        })
        {
            var body = JsonSerializer.Serialize(new { actions = new[] { new { name = "set_member", args = new { cert = pem } } } });
            using var response = await _node.Client(_founder).PostAsync("/gov/proposals", TestNode.Json(body));
            await ApiAssert.ErrorAsync(response, HttpStatusCode.BadRequest, "ProposalInvalid");
            Assert.Contains("one PEM CERTIFICATE block", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty((await GetAsync(_node.Client(null), "/gov/proposals")).GetProperty("proposals").EnumerateArray());
        Assert.Equal(before, _node.Node.Committed);
    }

    private static async Task<JsonElement> ProposeAsync(HttpClient member, string action, object args)
    {
        var body = JsonSerializer.Serialize(new { actions = new[] { new { name = action, args } } });
        using var response = await member.PostAsync("/gov/proposals", TestNode.Json(body));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await TestNode.ReadJsonAsync(response);
    }

    private static async Task<JsonElement> VoteAsync(HttpClient member, JsonElement proposal, bool inFavour)
    {
        using var response = await member.PostAsync($"/gov/proposals/{Id(proposal)}/ballots", TestNode.Json(inFavour ? "{\"ballot\":true}" : "{\"ballot\":false}"));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await TestNode.ReadJsonAsync(response);
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await TestNode.ReadJsonAsync(response);
    }

    private static string Id(JsonElement proposal) => proposal.GetProperty("proposalId").GetString()!;

    private static string IdOf(X509Certificate2 certificate) => Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    private static X509Certificate2 NewMemberCertificateWith(params char[] wanted)
    {
        while (true)
        {
            var certificate = NewMemberCertificate();
            if (wanted.All(character => certificate.ExportCertificatePem().Contains(character, StringComparison.Ordinal)))
            {
                return certificate;
            }

            certificate.Dispose();
        }
    }

    private static X509Certificate2 NewMemberCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("CN=second member", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
    }
}
