using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Vellum.Core;
using Vellum.Node.Governance.Voting;
using Vellum.Node.Tests.Support;

namespace Vellum.Node.Tests.Governance;

public class ConsortiumTests
{
    [Fact]
    public void ALoneFounderDecidesAloneAndAfterAddingAMemberBothAreNeeded()
    {
        var founder = NewMember("founder");
        var second = NewMember("second");
        var consortium = new Consortium([founder], recoveryThreshold: 1);

        var add = Propose(consortium, founder, Action("set_member", new { cert = second.CertificatePem, encryption_pub_key = second.EncryptionKeyPem }));
        Assert.Equal([add], consortium.Vote(founder.Id, add.Id, inFavour: true));
        Assert.Equal(ProposalState.Accepted, add.State);
        Assert.Equal(2, consortium.Members.Count);

        var raise = Propose(consortium, second, Action("set_recovery_threshold", new { recovery_threshold = 2 }), "raise");
        Assert.Empty(consortium.Vote(second.Id, raise.Id, inFavour: true));
        Assert.Equal(ProposalState.Open, raise.State);
        consortium.Vote(founder.Id, raise.Id, inFavour: true);
        Assert.Equal((ProposalState.Accepted, 2), (raise.State, consortium.RecoveryThreshold));
    }

    [Fact]
    public void AMajorityOfThreeAcceptsAndEnoughAgainstRejects()
    {
        var (consortium, a, b, c) = ThreeMembers();
        var accepted = Propose(consortium, a, Action("trigger_ledger_rekey", new { }));
        var rejected = Propose(consortium, a, Action("trigger_ledger_rekey", new { }), "second");

        consortium.Vote(a.Id, accepted.Id, true);
        consortium.Vote(b.Id, rejected.Id, false);
        consortium.Vote(c.Id, rejected.Id, true);
        Assert.Equal((ProposalState.Open, ProposalState.Open), (accepted.State, rejected.State));

        consortium.Vote(c.Id, accepted.Id, true);
        consortium.Vote(a.Id, rejected.Id, false);
        Assert.Equal((ProposalState.Accepted, ProposalState.Rejected), (accepted.State, rejected.State));
    }

    [Fact]
    public void BallotsAreFinalOnlyMembersTakePartAndOnlyTheProposerWithdraws()
    {
        var (consortium, a, b, _) = ThreeMembers();
        var outsider = NewMember("outsider");
        var proposal = Propose(consortium, a, Action("remove_node", new { node_id = new string('a', 64) }));

        consortium.Vote(b.Id, proposal.Id, true);
        Assert.Equal("AlreadyVoted", Assert.Throws<GovernanceException>(() => consortium.Vote(b.Id, proposal.Id, false)).Code);
        Assert.Equal("NotAMember", Assert.Throws<GovernanceException>(() => consortium.Vote(outsider.Id, proposal.Id, true)).Code);
        Assert.Equal("NotAMember", Assert.Throws<GovernanceException>(() => Propose(consortium, outsider, Action("trigger_ledger_rekey", new { }))).Code);
        Assert.Equal("NotTheProposer", Assert.Throws<GovernanceException>(() => consortium.Withdraw(b.Id, proposal.Id)).Code);

        consortium.Withdraw(a.Id, proposal.Id);
        Assert.Equal(ProposalState.Withdrawn, proposal.State);
        Assert.Equal("ProposalNotOpen", Assert.Throws<GovernanceException>(() => consortium.Vote(a.Id, proposal.Id, true)).Code);
        Assert.Equal("ProposalNotFound", Assert.Throws<GovernanceException>(() => consortium.Vote(a.Id, "nope", true)).Code);
    }

    [Fact]
    public void RemovingAMemberSettlesOpenProposalsAgainstTheSmallerConsortium()
    {
        var members = Enumerable.Range(0, 4).Select(i => NewMember($"m{i}")).ToList();
        var consortium = new Consortium(members, recoveryThreshold: 1);
        var pending = Propose(consortium, members[0], Action("trigger_ledger_rekey", new { }));
        consortium.Vote(members[0].Id, pending.Id, true);
        consortium.Vote(members[1].Id, pending.Id, true);
        Assert.Equal(ProposalState.Open, pending.State);

        var removal = Propose(consortium, members[0], Action("remove_member", new { member_id = members[3].Id }), "removal");
        consortium.Vote(members[0].Id, removal.Id, true);
        consortium.Vote(members[1].Id, removal.Id, true);
        var settled = consortium.Vote(members[2].Id, removal.Id, true);

        Assert.Equal([removal, pending], settled);
        Assert.Equal(ProposalState.Accepted, pending.State);
        Assert.DoesNotContain(consortium.Members, member => member.Id == members[3].Id);
    }

    [Fact]
    public void ARemovedMemberMayNotAskToWithdrawItsProposalButAWithdrawalAlreadyRecordedStillReplays()
    {
        var (consortium, a, b, c) = ThreeMembers();
        var open = Propose(consortium, c, Action("trigger_ledger_rekey", new { }));
        var removal = Propose(consortium, a, Action("remove_member", new { member_id = c.Id }), "removal");
        consortium.Vote(a.Id, removal.Id, true);
        consortium.Vote(b.Id, removal.Id, true);
        Assert.Equal(ProposalState.Accepted, removal.State);

        Assert.Equal("NotAMember", Assert.Throws<GovernanceException>(() => consortium.CheckWithdrawal(c.Id, open.Id)).Code);
        Assert.Equal(ProposalState.Open, open.State);

        consortium.Withdraw(c.Id, open.Id);
        Assert.Equal(ProposalState.Withdrawn, open.State);
    }

    [Fact]
    public void AnAcceptedProposalWhoseActionCannotApplyFailsAndAppliesNothing()
    {
        var founder = NewMember("founder");
        var consortium = new Consortium([founder], recoveryThreshold: 1);
        var proposal = Propose(
            consortium,
            founder,
            Action("set_member", new { cert = NewMember("new").CertificatePem }),
            Action("set_recovery_threshold", new { recovery_threshold = 3 }));

        consortium.Vote(founder.Id, proposal.Id, true);

        Assert.Equal(ProposalState.Failed, proposal.State);
        Assert.Contains("recovery threshold of 3", proposal.FailureReason, StringComparison.Ordinal);
        Assert.Single(consortium.Members);
        Assert.Equal(1, consortium.RecoveryThreshold);

        var lastOne = Propose(consortium, founder, Action("remove_member", new { member_id = founder.Id }), "last");
        consortium.Vote(founder.Id, lastOne.Id, true);
        Assert.Equal(ProposalState.Failed, lastOne.State);
        Assert.Single(consortium.Members);
    }

    [Fact]
    public void AnAcceptedRemoveNodeIsKeptForTheNodeToCarryOut()
    {
        var founder = NewMember("founder");
        var consortium = new Consortium([founder], recoveryThreshold: 1);
        var node = new string('c', 64);
        var proposal = Propose(consortium, founder, Action("remove_node", new { node_id = node }));
        Assert.Empty(consortium.NodesToRetire);

        consortium.Vote(founder.Id, proposal.Id, true);

        Assert.Equal([node], consortium.NodesToRetire);
    }

    [Fact]
    public void AnAcceptedTrustOfANodeIsKeptForThePrimaryToAdmitIt()
    {
        var founder = NewMember("founder");
        var consortium = new Consortium([founder], recoveryThreshold: 1);
        var node = new string('d', 64);
        var proposal = Propose(consortium, founder, Action("transition_node_to_trusted", new { node_id = node }));
        Assert.DoesNotContain(node, consortium.TrustedNodes);

        consortium.Vote(founder.Id, proposal.Id, true);

        Assert.Contains(node, consortium.TrustedNodes);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"actions\":[]}")]
    [InlineData("{\"actions\":[{\"name\":\"format_disk\"}]}")]
    [InlineData("{\"actions\":[{\"name\":\"remove_node\",\"args\":[]}]}")]
    [InlineData("not json")]
    public void AMalformedProposalIsRefused(string body)
    {
        Assert.Equal("ProposalInvalid", Assert.Throws<GovernanceException>(() => Proposal.ParseActions(Encoding.UTF8.GetBytes(body))).Code);
    }

    [Theory]
    [InlineData("{\"actions\":[{\"name\":\"remove_<FF>node\",\"args\":{}}]}")]
    [InlineData("{\"actions\":[{\"name\":\"remove_\\ud800node\",\"args\":{}}]}")]
    public void AProposalWhoseActionNameIsNotValidUnicodeIsRefused(string body)
    {
        Assert.Equal("ProposalInvalid", Assert.Throws<GovernanceException>(() => Proposal.ParseActions(Utf8Bytes.WithByteFF(body))).Code);
    }

    [Theory]
    [InlineData("{\"actions\":[{\"name\":\"remove_node\",\"args\":{\"nodeId\":\"ab<FF>\"}}]}")]
    [InlineData("{\"actions\":[{\"name\":\"remove_node\",\"args\":{\"nodeId\":\"\\udc00\"}}]}")]
    public void AStringArgumentThatIsNotValidUnicodeIsRefused(string body)
    {
        var action = Assert.Single(Proposal.ParseActions(Utf8Bytes.WithByteFF(body)));

        Assert.Equal("ProposalInvalid", Assert.Throws<GovernanceException>(() => action.String("nodeId")).Code);
        Assert.Equal("ProposalInvalid", Assert.Throws<GovernanceException>(() => action.OptionalString("nodeId")).Code);
    }

    [Theory]
    [InlineData("""{"actions":[{"name":"bogus_action","args":{}}]}""", "There is no action \"bogus_action\"; the actions are: ")]
    [InlineData("""{"actions":[{"args":{}}]}""", "Each action needs a \"name\"")]
    public void AnUnknownActionIsNamedAsUnknownAndAMissingNameAsMissing(string actions, string message)
    {
        var refusal = Assert.Throws<GovernanceException>(() => Proposal.ParseActions(Encoding.UTF8.GetBytes(actions)));

        Assert.Equal("ProposalInvalid", refusal.Code);
        Assert.StartsWith(message, refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedArgumentsAreRefusedWhenProposed()
    {
        var (consortium, a, _, _) = ThreeMembers();
        foreach (var action in new[]
        {
            Action("remove_node", new { node_id = "ABC" }),
            Action("remove_member", new { }),
            Action("set_member", new { cert = "not a certificate" }),
            Action("set_member", new { cert = a.CertificatePem, encryption_pub_key = a.CertificatePem }),
            Action("set_recovery_threshold", new { recovery_threshold = 0 }),
            Action("set_jwt_issuer", new { issuer = "http://issuer.example" }),
        })
        {
            Assert.Equal("ProposalInvalid", Assert.Throws<GovernanceException>(() => Propose(consortium, a, action)).Code);
        }
    }

    [Fact]
    public void AnArgumentNoActionTakesIsRefusedWhenProposedButARecordedOneStillReplays()
    {
        var (consortium, a, b, _) = ThreeMembers();
        var offered = new[]
        {
            Action("set_member", new { cert = NewMember("d").CertificatePem, member_data = new { role = "auditor" } }),
            Action("remove_member", new { member_id = b.Id, reason = "left" }),
            Action("set_recovery_threshold", new { recovery_threshold = 2, threshold = 2 }),
            Action("trigger_ledger_rekey", new { now = true }),
            Action("transition_node_to_trusted", new { node_id = new string('a', 64), valid_from = "20261122000000Z" }),
            Action("remove_node", new { node_id = new string('a', 64), force = true }),
            Action("remove_jwt_issuer", new { issuer = "https://issuer.example", jwks = new { } }),
            Action("transition_service_to_open", new { next_service_identity = a.CertificatePem, previous_service_identity = a.CertificatePem }),
        };
        Assert.Equal(GovernanceActions.Names.Count - 1, offered.Length);

        foreach (var action in offered)
        {
            var extra = action.Args.EnumerateObject().Last().Name;
            var refused = Assert.Throws<GovernanceException>(() => consortium.CheckProposal(a.Id, [action]));
            Assert.Equal("ProposalInvalid", refused.Code);
            Assert.Contains($"{action.Name} takes no \"{extra}\"", refused.Message, StringComparison.Ordinal);
        }

        // A ledger written before the check may hold such a proposal: replay records it as it did.
        Assert.Equal(ProposalState.Open, Propose(consortium, a, offered[0]).State);
    }

    [Fact]
    public void AProposalsIdDependsOnItsBodyAndTheTransactionThatRecordedIt()
    {
        var body = "{\"actions\":[{\"name\":\"trigger_ledger_rekey\"}]}"u8.ToArray();
        Assert.Equal(Proposal.IdFor(body, new TransactionId(2, 10)), Proposal.IdFor(body, new TransactionId(2, 10)));
        Assert.NotEqual(Proposal.IdFor(body, new TransactionId(2, 10)), Proposal.IdFor(body, new TransactionId(2, 11)));
        Assert.Equal(64, Proposal.IdFor(body, new TransactionId(2, 10)).Length);
    }

    private static (Consortium Consortium, Member A, Member B, Member C) ThreeMembers()
    {
        var (a, b, c) = (NewMember("a"), NewMember("b"), NewMember("c"));
        return (new Consortium([a, b, c], recoveryThreshold: 2), a, b, c);
    }

    private static Proposal Propose(Consortium consortium, Member proposer, params GovernanceAction[] actions) =>
        Propose(consortium, proposer, actions, "first");

    private static Proposal Propose(Consortium consortium, Member proposer, GovernanceAction action, string name) =>
        Propose(consortium, proposer, [action], name);

    private static Proposal Propose(Consortium consortium, Member proposer, GovernanceAction[] actions, string name) =>
        consortium.Propose(proposer.Id, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name))), actions);

    private static GovernanceAction Action(string name, object args) =>
        new(name, JsonSerializer.SerializeToElement(args));

    private static Member NewMember(string name)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        using var encryption = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        return new Member(Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)), certificate.ExportCertificatePem(), encryption.ExportSubjectPublicKeyInfoPem());
    }
}
