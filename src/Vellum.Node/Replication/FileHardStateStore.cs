using System.Text.Json;
using Vellum.Consensus;
using Vellum.Node.Setup;

namespace Vellum.Node.Replication;

/// <summary>
/// Keeps the consensus term and vote in <c>consensus_state.json</c>, replaced atomically and
/// fsynced on every save. Saves happen once per term change or vote, never per write.
/// </summary>
internal sealed class FileHardStateStore(DataDirectory directory) : IHardStateStore
{
    public HardState Load()
    {
        if (!File.Exists(directory.ConsensusState))
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(directory.ConsensusState));
            var root = document.RootElement;
            var votedFor = root.GetProperty("votedFor");
            return new HardState(
                root.GetProperty("term").GetInt64(),
                votedFor.ValueKind == JsonValueKind.Null ? null : new NodeId(votedFor.GetString()!));
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new NodeStartException($"{directory.ConsensusState} is damaged: {exception.Message}", exception);
        }
    }

    public void Save(HardState state)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("term", state.Term);
            if (state.VotedFor is { } votedFor)
            {
                writer.WriteString("votedFor", votedFor.Value);
            }
            else
            {
                writer.WriteNull("votedFor");
            }

            writer.WriteEndObject();
        }

        directory.WritePublic(directory.ConsensusState, buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
    }
}
