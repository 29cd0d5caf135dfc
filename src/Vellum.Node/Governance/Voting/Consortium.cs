using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Vellum.Core.Recovery;
using Vellum.Node.Authentication.Jwt;

namespace Vellum.Node.Governance.Voting;

/// <summary>
/// The consortium's state and its rules, with no I/O: the members, the recovery threshold, and
/// the proposals with their ballots. The node feeds it the governance records of the ledger in
/// order, on every node alike, so every node reaches the same decisions. A proposal that settles
/// as accepted has its consortium actions applied here, all or none; the node carries out the
/// rest (see <see cref="GovernanceActions.ChangesConsortium"/>).
/// </summary>
internal sealed class Consortium
{
    private readonly Dictionary<string, Proposal> _proposals = new(StringComparer.Ordinal);
    private readonly HashSet<string> _nodesToRetire = new(StringComparer.Ordinal);
    private readonly HashSet<string> _trustedNodes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _openedServices = new(StringComparer.Ordinal);
    private readonly List<string> _acceptedRekeys = [];
    private Dictionary<string, Member> _members;
    private IReadOnlyDictionary<string, GovernedJwtIssuer> _jwtIssuers = JwtValidator.EmptyGovernedIssuers;
    private string? _recoveredService;

    /// <summary>Starts with <paramref name="founders"/> and a recovery threshold of <paramref name="recoveryThreshold"/>.</summary>
    /// <exception cref="GovernanceException">No founder, or a threshold the founders' encryption keys cannot meet.</exception>
    public Consortium(IEnumerable<Member> founders, int recoveryThreshold)
    {
        _members = founders.ToDictionary(member => member.Id, StringComparer.Ordinal);
        if (_members.Count == 0)
        {
            throw GovernanceException.Invalid("A consortium needs at least one member.");
        }

        RequireReachable(_members, recoveryThreshold);
        RecoveryThreshold = recoveryThreshold;
    }

    public IReadOnlyCollection<Member> Members => _members.Values;

    /// <summary>How many members' recovery shares together recover the ledger secret.</summary>
    public int RecoveryThreshold { get; private set; }

    public IReadOnlyCollection<Proposal> Proposals => _proposals.Values;

    /// <summary>The nodes accepted proposals retired (<c>remove_node</c>): the primary removes each from the cluster while it is a member.</summary>
    public IReadOnlyCollection<string> NodesToRetire => _nodesToRetire;

    /// <summary>The nodes accepted proposals trusted (<c>transition_node_to_trusted</c>): a primary that admits only such nodes admits them.</summary>
    public IReadOnlySet<string> TrustedNodes => _trustedNodes;

    /// <summary>The service identities (SHA-256 of the certificate, hex) accepted proposals opened after a recovery (<c>transition_service_to_open</c>).</summary>
    public IReadOnlySet<string> OpenedServices => _openedServices;

    /// <summary>The identity id of the service the ledger's latest recovery made, or null for a ledger never recovered: the one service <c>transition_service_to_open</c> opens.</summary>
    public string? RecoveredService => _recoveredService;

    /// <summary>The token issuers accepted proposals trusted (<c>set_jwt_issuer</c>), keyed by issuer without its trailing slash; replaced whole, never changed, so it may be kept and read outside the lock.</summary>
    public IReadOnlyDictionary<string, GovernedJwtIssuer> JwtIssuers => _jwtIssuers;

    /// <summary>The accepted proposals with a <c>trigger_ledger_rekey</c>, in the order accepted: the primary writes a new ledger secret for each that no secret record names yet.</summary>
    public IReadOnlyList<string> AcceptedRekeys => _acceptedRekeys;

    /// <summary>Learns, in log order like the governance records, that the ledger was recovered under the service identity <paramref name="serviceIdentityId"/> (its <c>vellum:service</c> record).</summary>
    public void RecordRecovery(string serviceIdentityId) => _recoveredService = serviceIdentityId;

    /// <summary>The proposal <paramref name="id"/>.</summary>
    /// <exception cref="GovernanceException">There is none.</exception>
    public Proposal Find(string id) => _proposals.TryGetValue(id, out var proposal) ? proposal : throw GovernanceException.NotFound(id);

    /// <summary>
    /// Throws what <see cref="Propose"/> would, changing nothing, and checks what only a new
    /// proposal is held to: no action gives an argument it does not take, each member encryption key is one the recovery dealer can deal to
    /// (<see cref="RequireUsableEncryptionKey"/>), each certificate is alone in its PEM
    /// (<see cref="ProposedCertificate"/>), and an opening names the recovered service. Records already in a ledger are not judged
    /// again by it, so a ledger that holds an older proposal still replays.
    /// </summary>
    /// <exception cref="GovernanceException">The proposer is not a member, or an action is malformed.</exception>
    public void CheckProposal(string proposerId, IReadOnlyList<GovernanceAction> actions)
    {
        CheckRecorded(proposerId, actions);
        foreach (var action in actions)
        {
            action.RequireKnownArguments();
        }

        foreach (var action in actions.Where(action => action.Name == GovernanceActions.SetMember))
        {
            ProposedCertificate.RequireAlone(action.Name, "cert", action.String("cert"));
            RequireUsableEncryptionKey(action.Name, action.OptionalString("encryption_pub_key"));
        }

        foreach (var action in actions.Where(action => action.Name == GovernanceActions.TransitionServiceToOpen))
        {
            ProposedCertificate.RequireAlone(action.Name, "next_service_identity", action.String("next_service_identity"));
        }

        RequireRecoveredService(actions);
    }

    /// <summary>
    /// Refuses a member encryption key that recovery shares could not be dealt to: the check the
    /// recovery dealer applies (<see cref="MemberEncryptionKey.FromPem"/>), an RSA
    /// <c>PUBLIC KEY</c> of <see cref="MemberEncryptionKey.MinKeySizeBits"/> to
    /// <see cref="MemberEncryptionKey.MaxKeySizeBits"/> bits.
    /// </summary>
    /// <exception cref="GovernanceException">The key is not such a key.</exception>
    public static void RequireUsableEncryptionKey(string what, string? encryptionKeyPem)
    {
        if (encryptionKeyPem is null)
        {
            return;
        }

        try
        {
            using var key = MemberEncryptionKey.FromPem(encryptionKeyPem);
        }
        catch (FormatException exception)
        {
            throw GovernanceException.Invalid($"The \"encryption_pub_key\" of {what} cannot hold a recovery share: {exception.Message}");
        }
    }

    /// <summary>Throws what <see cref="Vote"/> would, changing nothing.</summary>
    /// <exception cref="GovernanceException">Not a member, no such open proposal, or a second ballot.</exception>
    public void CheckBallot(string memberId, string proposalId)
    {
        RequireMember(memberId);
        var proposal = RequireOpen(proposalId);
        if (proposal.Ballots.ContainsKey(memberId))
        {
            throw GovernanceException.AlreadyVoted(memberId, proposal);
        }
    }

    /// <summary>
    /// Throws what <see cref="Withdraw"/> would, changing nothing, and also when the proposer is
    /// no longer a member: a removed member's certificate speaks for nobody.
    /// </summary>
    /// <exception cref="GovernanceException">Not a member, not the proposer, or no such open proposal.</exception>
    public void CheckWithdrawal(string memberId, string proposalId)
    {
        RequireMember(memberId);
        RequireWithdrawable(memberId, proposalId);
    }

    // Replay does not ask for membership: versions before the check recorded withdrawals by
    // removed members, and a ledger must replay to what it replayed to then.
    private void RequireWithdrawable(string memberId, string proposalId)
    {
        var proposal = RequireOpen(proposalId);
        if (proposal.ProposerId != memberId)
        {
            throw GovernanceException.NotTheProposer(memberId, proposal);
        }
    }

    /// <summary>Records a new open proposal by <paramref name="proposerId"/>.</summary>
    /// <exception cref="GovernanceException">The proposer is not a member, or an action is malformed.</exception>
    public Proposal Propose(string proposerId, string proposalId, IReadOnlyList<GovernanceAction> actions)
    {
        CheckRecorded(proposerId, actions);
        var proposal = new Proposal(proposalId, proposerId, actions);
        if (!_proposals.TryAdd(proposalId, proposal))
        {
            throw GovernanceException.Invalid($"The proposal {proposalId} exists already.");
        }

        return proposal;
    }

    /// <summary>Records a ballot; returns the proposals it settled (this one, and others a change of members settled), in order.</summary>
    /// <exception cref="GovernanceException">Not a member, no such open proposal, or a second ballot.</exception>
    public IReadOnlyList<Proposal> Vote(string memberId, string proposalId, bool inFavour)
    {
        RequireMember(memberId);
        var proposal = RequireOpen(proposalId);
        proposal.Record(memberId, inFavour);
        return SettleOpenProposals();
    }

    /// <summary>Withdraws an open proposal at its proposer's request.</summary>
    /// <exception cref="GovernanceException">Not the proposer, or no such open proposal.</exception>
    public Proposal Withdraw(string memberId, string proposalId)
    {
        RequireWithdrawable(memberId, proposalId);
        var proposal = Find(proposalId);
        proposal.State = ProposalState.Withdrawn;
        return proposal;
    }

    // Settling one proposal may change the members, which may settle others: repeat until
    // nothing moves. Proposals settle in the order they were made.
    private List<Proposal> SettleOpenProposals()
    {
        var settled = new List<Proposal>();
        bool moved;
        do
        {
            moved = false;
            foreach (var proposal in _proposals.Values.Where(proposal => proposal.State == ProposalState.Open).ToList())
            {
                var outcome = MajorityConstitution.Resolve(proposal, _members.Keys);
                if (outcome == ProposalState.Open)
                {
                    continue;
                }

                proposal.State = outcome == ProposalState.Accepted ? Enact(proposal) : outcome;
                settled.Add(proposal);
                moved = true;
            }
        }
        while (moved);
        return settled;
    }

    private ProposalState Enact(Proposal proposal)
    {
        var members = new Dictionary<string, Member>(_members, StringComparer.Ordinal);
        var threshold = RecoveryThreshold;
        IReadOnlyDictionary<string, GovernedJwtIssuer> jwtIssuers;
        try
        {
            jwtIssuers = JwtIssuerActions.After(_jwtIssuers, proposal.Actions);
            foreach (var action in proposal.Actions)
            {
                threshold = Apply(action, members, threshold);
            }

            if (members.Count == 0)
            {
                throw GovernanceException.Invalid("The consortium would have no member left.");
            }

            RequireReachable(members, threshold);
        }
        catch (GovernanceException exception)
        {
            proposal.FailureReason = exception.Message;
            return ProposalState.Failed;
        }

        _members = members;
        RecoveryThreshold = threshold;
        _jwtIssuers = jwtIssuers;
        _nodesToRetire.UnionWith(proposal.Actions.Where(action => action.Name == GovernanceActions.RemoveNode).Select(action => action.String("node_id")));
        _trustedNodes.UnionWith(proposal.Actions.Where(action => action.Name == GovernanceActions.TransitionNodeToTrusted).Select(action => action.String("node_id")));
        _openedServices.UnionWith(proposal.Actions.Where(action => action.Name == GovernanceActions.TransitionServiceToOpen).Select(action => ServiceIdentityId(action.String("next_service_identity"))));
        if (proposal.Actions.Any(action => action.Name == GovernanceActions.TriggerLedgerRekey))
        {
            _acceptedRekeys.Add(proposal.Id);
        }

        return ProposalState.Accepted;
    }

    private void CheckRecorded(string proposerId, IReadOnlyList<GovernanceAction> actions)
    {
        RequireMember(proposerId);
        foreach (var action in actions)
        {
            CheckForm(action);
        }
    }

    // An opening that names another service than the one recovered would be accepted and open
    // nothing. Checked when proposed only: an opening already recorded replays as it always has.
    private void RequireRecoveredService(IReadOnlyList<GovernanceAction> actions)
    {
        foreach (var action in actions.Where(action => action.Name == GovernanceActions.TransitionServiceToOpen))
        {
            var named = ServiceIdentityId(action.String("next_service_identity"));
            if (_recoveredService is null)
            {
                throw GovernanceException.Invalid($"This ledger was never recovered from a backup: there is no recovered service for {GovernanceActions.TransitionServiceToOpen} to open.");
            }

            if (named != _recoveredService)
            {
                throw GovernanceException.Invalid($"\"next_service_identity\" names the service {named}, not {_recoveredService}, the service the ledger was recovered under: name the recovered node's service_cert.pem.");
            }
        }
    }

    private static int Apply(GovernanceAction action, Dictionary<string, Member> members, int threshold)
    {
        switch (action.Name)
        {
            case GovernanceActions.SetMember:
                var member = MemberOf(action);
                members[member.Id] = member;
                return threshold;
            case GovernanceActions.RemoveMember:
                var id = action.String("member_id");
                return members.Remove(id) ? threshold : throw GovernanceException.Invalid($"{id} is not a member.");
            case GovernanceActions.SetRecoveryThreshold:
                return action.Integer("recovery_threshold");
            default:
                return threshold;
        }
    }

    private static void CheckForm(GovernanceAction action)
    {
        switch (action.Name)
        {
            case GovernanceActions.SetMember:
                _ = MemberOf(action);
                break;
            case GovernanceActions.RemoveMember:
                RequireHexId(action, "member_id");
                break;
            case GovernanceActions.SetRecoveryThreshold when action.Integer("recovery_threshold") < 1:
                throw GovernanceException.Invalid("The recovery threshold must be at least 1.");
            case GovernanceActions.TransitionNodeToTrusted or GovernanceActions.RemoveNode:
                RequireHexId(action, "node_id");
                break;
            case GovernanceActions.TransitionServiceToOpen:
                _ = ServiceIdentityId(action.String("next_service_identity"));
                break;
            case GovernanceActions.SetJwtIssuer or GovernanceActions.RemoveJwtIssuer:
                JwtIssuerActions.Check(action);
                break;
        }
    }

    /// <summary>The member an action's <c>cert</c> and <c>encryption_pub_key</c> describe.</summary>
    /// <exception cref="GovernanceException">They are malformed.</exception>
    public static Member MemberOf(GovernanceAction action) =>
        MemberOf(action.Name, action.String("cert"), action.OptionalString("encryption_pub_key"));

    /// <summary>The member with <paramref name="certificatePem"/> and <paramref name="encryptionKeyPem"/>.</summary>
    /// <exception cref="GovernanceException">They are malformed.</exception>
    public static Member MemberOf(string what, string certificatePem, string? encryptionKeyPem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            if (encryptionKeyPem is not null && (!PemEncoding.TryFind(encryptionKeyPem, out var fields) || encryptionKeyPem[fields.Label] is not "PUBLIC KEY"))
            {
                throw GovernanceException.Invalid($"The \"encryption_pub_key\" of {what} must be a PEM PUBLIC KEY block.");
            }

            return new Member(Convert.ToHexStringLower(SHA256.HashData(certificate.RawData)), certificatePem, encryptionKeyPem);
        }
        catch (CryptographicException exception)
        {
            throw GovernanceException.Invalid($"The \"cert\" of {what} is not a PEM certificate: {exception.Message}");
        }
    }

    /// <summary>The id of a service identity: the SHA-256 of its certificate's DER, lower-case hex.</summary>
    /// <exception cref="GovernanceException">The PEM is not a certificate.</exception>
    public static string ServiceIdentityId(string certificatePem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            return Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        }
        catch (CryptographicException exception)
        {
            throw GovernanceException.Invalid($"\"next_service_identity\" is not a PEM certificate: {exception.Message}");
        }
    }

    private static void RequireHexId(GovernanceAction action, string name)
    {
        var id = action.String(name);
        if (id.Length != 64 || !id.All(char.IsAsciiHexDigitLower))
        {
            throw GovernanceException.Invalid($"\"{name}\" must be 64 lower-case hex digits.");
        }
    }

    private static void RequireReachable(Dictionary<string, Member> members, int threshold)
    {
        var holders = members.Values.Count(member => member.EncryptionKeyPem is not null);
        if (threshold < 1 || (holders > 0 && threshold > holders))
        {
            throw GovernanceException.Invalid($"A recovery threshold of {threshold} cannot be met by the {holders} member(s) holding a recovery share.");
        }
    }

    private void RequireMember(string memberId)
    {
        if (!_members.ContainsKey(memberId))
        {
            throw GovernanceException.NotAMember(memberId);
        }
    }

    private Proposal RequireOpen(string proposalId)
    {
        var proposal = Find(proposalId);
        return proposal.State == ProposalState.Open ? proposal : throw GovernanceException.NotOpen(proposal);
    }
}
