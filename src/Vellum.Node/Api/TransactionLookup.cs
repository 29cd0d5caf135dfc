using Vellum.Core;
using Vellum.Core.Entries;

namespace Vellum.Node.Api;

/// <summary>Resolves a transaction id from a path to the entry it names, or a 400/404 with code <c>InvalidTransactionId</c>.</summary>
internal static class TransactionLookup
{
    public static TransactionId Parse(string? text, string what = "transaction id")
    {
        if (TransactionId.TryParse(text, out var id, out var problem))
        {
            return id;
        }

        throw ApiException.BadRequest(ErrorCodes.InvalidTransactionId, $"\"{Shorten(text)}\" is not a valid {what}: {problem}");
    }

    /// <summary>The stored entry named by <paramref name="text"/>; the view must match the entry's.</summary>
    public static (TransactionId Id, byte[] Entry, EntryHeader Header) Find(NodeContext node, string? text)
    {
        var id = Parse(text);
        if (id.Seqno > node.Ledger.LastSeqno)
        {
            throw Unknown(id, $"the ledger's last seqno is {node.Ledger.LastSeqno}");
        }

        var entry = node.Ledger.ReadEntry(id.Seqno);
        var header = EntryCodec.ReadHeader(entry);
        if (header.Id != id)
        {
            throw Unknown(id, $"seqno {id.Seqno} is transaction {header.Id}");
        }

        return (id, entry, header);
    }

    public static ApiException Unknown(TransactionId id, string reason)
        => ApiException.NotFound(ErrorCodes.InvalidTransactionId, $"There is no transaction {id}: {reason}.");

    private static string Shorten(string? text) => text is null ? string.Empty : text.Length <= 64 ? text : text[..64] + "…";
}
