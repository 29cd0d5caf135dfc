using System.Runtime.InteropServices;
using System.Text.Json;
using Vellum.Core;

namespace Vellum.Node.Governance.Voting;

/// <summary>
/// One governance transaction: the contents of an entry in the reserved collection
/// <c>vellum:gov</c>, public in every ledger. <c>found</c> starts the consortium; <c>propose</c>,
/// <c>ballot</c> and <c>withdraw</c> are members' requests, recorded once checked, applied on every
/// node in log order (see docs/governance.md).
/// </summary>
internal static class GovernanceRecord
{
    /// <summary>The deepest nesting a record is read with: a <c>propose</c> record holds a body as deep as <see cref="Proposal.MaxBodyDepth"/> one level down.</summary>
    public const int MaxDepth = Proposal.MaxBodyDepth + 1;

    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = MaxDepth };

    public static byte[] Found(IEnumerable<Member> members, int recoveryThreshold) => Write(writer =>
    {
        writer.WriteString("record", "found");
        writer.WriteStartArray("members");
        foreach (var member in members)
        {
            writer.WriteStartObject();
            writer.WriteString("cert", member.CertificatePem);
            writer.WriteString("encryption_pub_key", member.EncryptionKeyPem);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteNumber("recovery_threshold", recoveryThreshold);
    });

    /// <summary>A <c>propose</c> record keeping <paramref name="proposal"/>'s text byte for byte, so that its id (<see cref="ProposalIdIn"/>) is that of the body as posted.</summary>
    public static byte[] Propose(string proposerId, JsonElement proposal) => Write(writer =>
    {
        writer.WriteString("record", "propose");
        writer.WriteString("proposer", proposerId);
        writer.WritePropertyName("proposal");
        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(proposal));
    });

    /// <summary>
    /// The id of the proposal a <c>propose</c> record written in transaction <paramref name="id"/>
    /// makes: the one place it is computed, on the proposal's bytes as the record stores them, so
    /// that the answer to its proposer and every node's replay agree.
    /// </summary>
    /// <exception cref="JsonException">The record is not JSON.</exception>
    /// <exception cref="KeyNotFoundException">The record has no proposal.</exception>
    public static string ProposalIdIn(ReadOnlySpan<byte> record, TransactionId id)
    {
        using var document = JsonDocument.Parse(record.ToArray(), ReadOptions);
        return ProposalIdOf(document.RootElement.GetProperty("proposal"), id);
    }

    public static byte[] Ballot(string memberId, string proposalId, bool inFavour) => Write(writer =>
    {
        writer.WriteString("record", "ballot");
        writer.WriteString("member", memberId);
        writer.WriteString("proposal", proposalId);
        writer.WriteBoolean("ballot", inFavour);
    });

    public static byte[] Withdraw(string memberId, string proposalId) => Write(writer =>
    {
        writer.WriteString("record", "withdraw");
        writer.WriteString("member", memberId);
        writer.WriteString("proposal", proposalId);
    });

    /// <summary>Applies a record written in transaction <paramref name="id"/>; returns the consortium, which a <c>found</c> record creates.</summary>
    /// <exception cref="InvalidDataException">The record is malformed or does not apply: the ledger is corrupt.</exception>
    public static Consortium Apply(Consortium? consortium, ReadOnlySpan<byte> contents, TransactionId id)
    {
        try
        {
            using var document = JsonDocument.Parse(contents.ToArray(), ReadOptions);
            var root = document.RootElement;
            var record = root.GetProperty("record").GetString();
            if (record == "found")
            {
                return consortium is null
                    ? new Consortium([.. root.GetProperty("members").EnumerateArray().Select(member => Consortium.MemberOf(new GovernanceAction(GovernanceActions.SetMember, member)))], root.GetProperty("recovery_threshold").GetInt32())
                    : throw new InvalidDataException("The consortium is founded twice.");
            }

            var state = consortium ?? throw new InvalidDataException("A governance request precedes the consortium's founding.");
            switch (record)
            {
                case "propose":
                    var proposal = root.GetProperty("proposal");
                    state.Propose(root.GetProperty("proposer").GetString()!, ProposalIdOf(proposal, id), Proposal.ParseActions(JsonMarshal.GetRawUtf8Value(proposal)));
                    break;
                case "ballot":
                    state.Vote(root.GetProperty("member").GetString()!, root.GetProperty("proposal").GetString()!, root.GetProperty("ballot").GetBoolean());
                    break;
                case "withdraw":
                    state.Withdraw(root.GetProperty("member").GetString()!, root.GetProperty("proposal").GetString()!);
                    break;
                default:
                    throw new InvalidDataException($"\"{record}\" is not a governance record.");
            }

            return state;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or GovernanceException)
        {
            throw new InvalidDataException($"The governance record in transaction {id} does not apply: {exception.Message}", exception);
        }
    }

    private static string ProposalIdOf(JsonElement proposal, TransactionId id) => Proposal.IdFor(JsonMarshal.GetRawUtf8Value(proposal), id);

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
