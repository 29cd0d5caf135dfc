using System.CommandLine;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Vellum.Cli.Commands;

/// <summary><c>vellum member list</c>: prints the consortium's members and its recovery threshold (<c>GET /gov/members</c>).</summary>
internal static class MemberListCommand
{
    private const string Description =
        "Print the ledger's members (id, certificate subject, whether it holds a recovery share) and the recovery threshold. " + ExitCodes.HelpText;

    public static Command Create()
    {
        var api = new NodeApiOptions(callerRequired: false, "A certificate (PEM) to present as the caller; optional, since anyone may list the members.");
        var command = new Command("list", Description);
        api.AddTo(command);
        command.SetAction((parseResult, cancellationToken) => api.RunAsync(parseResult, (client, output, error) =>
            GovernanceCall.RunAsync(client, HttpMethod.Get, "/gov/members", null, "list the members", (answer, authority) => Print(output, answer, authority), error, cancellationToken)));
        return command;
    }

    private static void Print(TextWriter output, JsonElement answer, string authority)
    {
        var members = answer.GetProperty("members").EnumerateArray().ToList();
        output.WriteLine($"{members.Count} member(s), recovery threshold {answer.GetProperty("recoveryThreshold").GetInt32()}, as {authority} knows them:");
        foreach (var member in members)
        {
            var holdsShare = member.TryGetProperty("encryptionPublicKey", out var key) && key.ValueKind == JsonValueKind.String;
            output.WriteLine(
                $"  {member.GetProperty("memberId").GetString()}  {Subject(member.GetProperty("certificate").GetString())}  " +
                (holdsShare ? "holds a recovery share" : "no encryption key"));
        }
    }

    private static string Subject(string? certificatePem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(certificatePem);
            return certificate.Subject;
        }
        catch (CryptographicException)
        {
            // The listing is still useful without a subject; the id names the member.
            return "(certificate unreadable)";
        }
    }
}
