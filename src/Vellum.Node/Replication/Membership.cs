using System.Text;
using System.Text.Json;
using Vellum.Consensus;
using Vellum.Node.Api;

namespace Vellum.Node.Replication;

/// <summary>
/// The cluster's membership as the ledger records it: a write to the reserved collection
/// <c>vellum:nodes</c> whose contents list the voters and learners with their addresses and
/// certificates (format in docs/storage-format.md). Consensus sees only the ids.
/// </summary>
internal sealed class Membership
{
    public const string Collection = LedgerEntryInput.ReservedCollectionPrefix + "nodes";

    public Membership(IReadOnlyList<ClusterMember> voters, IReadOnlyList<ClusterMember> learners)
    {
        Voters = voters;
        Learners = learners;
        Configuration = new ClusterConfiguration(voters.Select(member => member.Id), learners.Select(member => member.Id));
    }

    public IReadOnlyList<ClusterMember> Voters { get; }

    public IReadOnlyList<ClusterMember> Learners { get; }

    public ClusterConfiguration Configuration { get; }

    public IEnumerable<ClusterMember> Members => Voters.Concat(Learners);

    public ClusterMember? Find(NodeId id) => Members.FirstOrDefault(member => member.Id == id);

    public Membership WithLearner(ClusterMember member) =>
        new([.. Voters.Where(voter => voter.Id != member.Id)], [.. Learners.Where(learner => learner.Id != member.Id), member]);

    public Membership WithVoter(NodeId id)
    {
        var member = Find(id) ?? throw new ArgumentException($"Node {id} is not a member.", nameof(id));
        return new([.. Voters.Where(voter => voter.Id != id), member], [.. Learners.Where(learner => learner.Id != id)]);
    }

    public Membership Without(NodeId id) =>
        new([.. Voters.Where(voter => voter.Id != id)], [.. Learners.Where(learner => learner.Id != id)]);

    public override string ToString() => Configuration.ToString();

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            WriteMembers(writer, "voters", Voters);
            WriteMembers(writer, "learners", Learners);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <exception cref="InvalidDataException">The record is malformed.</exception>
    public static Membership Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            return new Membership(ReadMembers(root, "voters"), ReadMembers(root, "learners"));
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"A membership record is malformed: {exception.Message}", exception);
        }
    }

    private static void WriteMembers(Utf8JsonWriter writer, string name, IReadOnlyList<ClusterMember> members)
    {
        writer.WriteStartArray(name);
        foreach (var member in members)
        {
            writer.WriteStartObject();
            writer.WriteString("nodeId", member.Id.Value);
            writer.WriteString("peerAddress", member.PeerAddress);
            writer.WriteString("apiAddress", member.ApiAddress);
            writer.WriteString("certificate", member.CertificatePem);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static List<ClusterMember> ReadMembers(JsonElement root, string name) =>
        [.. root.GetProperty(name).EnumerateArray().Select(member => new ClusterMember(
            new NodeId(member.GetProperty("nodeId").GetString()!),
            member.GetProperty("peerAddress").GetString()!,
            member.GetProperty("apiAddress").GetString()!,
            member.GetProperty("certificate").GetString()!))];
}
