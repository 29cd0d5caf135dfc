using Vellum.Core.Encryption;
using Vellum.Core.Entries;

namespace Vellum.Node.Api;

/// <summary>Decodes stored writes for reads, opening a private ledger's sealed writes with its ledger secrets.</summary>
internal static class StoredWrites
{
    /// <summary>The write stored in <paramref name="entry"/>, in the clear.</summary>
    /// <exception cref="EntryDecryptionException">A private write was modified, or the node holds no secret for it.</exception>
    public static WriteEntry Decode(NodeContext node, byte[] entry) => Open(node, entry).Write;

    /// <summary>
    /// The first <paramref name="count"/> of <paramref name="entries"/> that are private writes,
    /// opened, at their places (null at a public write's); null when none is private. Done before
    /// an answer starts, so that an entry that does not open is a clean error, not a cut answer.
    /// </summary>
    /// <exception cref="EntryDecryptionException">A private write was modified, or the node holds no secret for it.</exception>
    public static WriteEntry?[]? OpenPrivate(NodeContext node, IReadOnlyList<byte[]> entries, int count)
    {
        WriteEntry?[]? opened = null;
        for (var i = 0; i < count; i++)
        {
            if (EntryCodec.ReadHeader(entries[i]).Kind == EntryKind.PrivateWrite)
            {
                opened ??= new WriteEntry?[count];
                opened[i] = Decode(node, entries[i]);
            }
        }

        return opened;
    }

    /// <summary>The write stored in <paramref name="entry"/> and, for a private write, the claim secret sealed with it.</summary>
    /// <exception cref="EntryDecryptionException">A private write was modified, or the node holds no secret for it.</exception>
    public static (WriteEntry Write, byte[]? ClaimSecret) Open(NodeContext node, byte[] entry)
    {
        var header = EntryCodec.ReadHeader(entry);
        if (header.Kind != EntryKind.PrivateWrite)
        {
            return (EntryCodec.DecodeWrite(entry), null);
        }

        if (node.Keyring is null)
        {
            throw new EntryDecryptionException(header.Id, "the ledger is public, so this node holds no ledger secret.");
        }

        var opened = node.Keyring.Open(entry);
        return (opened.Write, opened.ClaimSecret);
    }
}
