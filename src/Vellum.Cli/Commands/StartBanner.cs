using Vellum.Node;

namespace Vellum.Cli.Commands;

/// <summary>What <c>vellum start</c> prints once the node serves: where it is, its files, and a curl line that works as printed.</summary>
internal static class StartBanner
{
    public static void Write(TextWriter output, VellumNode node, NodeOptions options)
    {
        var url = options.PublicHost is { } host ? new Uri($"https://{host}:{node.Endpoint.Port}") : node.BaseAddress;
        output.WriteLine($"Vellum ledger \"{node.LedgerName}\" {(node.Created ? "created and " : string.Empty)}serving at {url.GetLeftPart(UriPartial.Authority)}");
        output.WriteLine("  platform: virtual (no hardware protection: the operator of this machine can read and alter what it holds)");
        output.WriteLine($"  data: {node.DataDirectory}");
        output.WriteLine($"  service certificate: {node.ServiceCertificatePath}");
        output.WriteLine($"  last committed transaction: {node.Committed}");
        if (node.IsRetired)
        {
            output.WriteLine("  note: this node was retired from its cluster: it takes no part and refuses writes; stop it, and join a new node to add one");
        }

        if (node.CreatedMember is { } member)
        {
            output.WriteLine($"  first member (governance, /gov): {member.Certificate}, key {member.Key}");
        }

        if (node.CreatedMemberEncryptionKey is { } encryptionKey)
        {
            output.WriteLine($"  first member's encryption key (opens its recovery share): {encryptionKey}; move it and the member's key off this node (docs/operations.md)");
        }

        if (options.AdminCertificate is not null && !node.Created)
        {
            output.WriteLine("  note: --admin-cert is ignored: it names the initial Administrator of a new ledger, and this one exists");
        }

        if (node.CreatedAdministrator is not { } admin)
        {
            output.WriteLine(WhereTheAdministratorIs(node));
            output.WriteLine();
            output.WriteLine("Press Ctrl+C to stop.");
            return;
        }

        output.WriteLine($"  Administrator certificate: {admin.Certificate}");
        output.WriteLine($"  Administrator key: {admin.Key}");
        output.WriteLine();
        output.WriteLine("Append an entry:");
        output.WriteLine($"  curl --cacert {Quote(node.ServiceCertificatePath)} --cert {Quote(admin.Certificate)} --key {Quote(admin.Key)} \\");
        output.WriteLine("    -H 'Content-Type: application/json' -d '{\"contents\":\"hello, ledger\"}' \\");
        output.WriteLine($"    '{url.GetLeftPart(UriPartial.Authority)}/app/transactions?api-version=2022-05-13'");
        output.WriteLine();
        output.WriteLine("Press Ctrl+C to stop.");
    }

    private static string WhereTheAdministratorIs(VellumNode node)
    {
        if (node.Joined)
        {
            return "  the ledger's users are those of the node it joined: its initial Administrator's files are in the founder's folder";
        }

        if (node.Recovered)
        {
            return $"  the ledger's users are those of the ledger it recovered: its initial Administrator (user id {node.InitialAdministrator}) is the one that ledger was created with";
        }

        // The node writes user_admin_cert.pem only when it made the Administrator; its key may have been moved away since.
        var madeHere = Path.Combine(node.DataDirectory, "user_admin_cert.pem");
        return File.Exists(madeHere)
            ? $"  the initial Administrator (user id {node.InitialAdministrator}) is {madeHere}, whose key is no longer in the folder"
            : $"  the initial Administrator (user id {node.InitialAdministrator}) is the certificate given with --admin-cert at creation";
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) || path.Contains('\'', StringComparison.Ordinal) ? $"'{path.Replace("'", "'\\''", StringComparison.Ordinal)}'" : path;
}
