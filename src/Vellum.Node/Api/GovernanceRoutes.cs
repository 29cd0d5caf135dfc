using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Vellum.Node.Authentication;
using Vellum.Node.Governance;
using Vellum.Node.Governance.Voting;

namespace Vellum.Node.Api;

/// <summary>
/// <c>/gov</c>: the consortium's members, and proposals with their ballots. A member is known by
/// the client certificate it presents (its id is that certificate's SHA-256), not by the users'
/// roles; reads are open, like <c>/node/state</c>. See docs/governance.md.
/// </summary>
internal static class GovernanceRoutes
{
    public static void Map(IEndpointRouteBuilder routes, NodeContext node, GovernanceLedger governance)
    {
        routes.MapGet("/gov/members", context => MembersAsync(context, governance)).AllowsAnonymous();
        routes.MapGet("/gov/proposals", context => ProposalsAsync(context, governance)).AllowsAnonymous();
        routes.MapGet("/gov/proposals/{proposalId}", context => ProposalAsync(context, governance, ProposalId(context))).AllowsAnonymous();
        routes.MapPost("/gov/proposals", context => ProposeAsync(context, node, governance)).AllowsAnonymous();
        routes.MapPost("/gov/proposals/{proposalId}/ballots", context => BallotAsync(context, node, governance)).AllowsAnonymous();
        routes.MapPost("/gov/proposals/{proposalId}/withdraw", context => WithdrawAsync(context, governance)).AllowsAnonymous();
    }

    private static async Task ProposeAsync(HttpContext context, NodeContext node, GovernanceLedger governance)
    {
        // The request is judged before its caller, so a malformed one is 400 for anyone.
        RequestReading.RequireContentType(context, "application/json");
        var body = await RequestReading.ReadBodyAsync(context, node.Options.MaxRequestBodyBytes);
        await Refused(() => Task.FromResult(Proposal.ParseActions(body, onlyKnownMembers: true).Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        if (node.Keyring is null)
        {
            await Refused(() => Task.FromResult(Proposal.ParseActions(body).Any(action => action.Name == GovernanceActions.TriggerLedgerRekey)
                ? throw GovernanceException.Invalid($"This ledger is public: it has no ledger secret, so {GovernanceActions.TriggerLedgerRekey} has nothing to rotate.")
                : string.Empty));
        }

        var member = CallingMember(context);
        var (id, recordedIn) = await Refused(() => governance.ProposeAsync(member, body, context.RequestAborted));
        context.Response.Headers[TransactionIdHeader.Name] = recordedIn.ToString();
        await ProposalAsync(context, governance, id);
    }

    private static async Task BallotAsync(HttpContext context, NodeContext node, GovernanceLedger governance)
    {
        RequestReading.RequireContentType(context, "application/json");
        bool inFavour;
        try
        {
            using var document = JsonDocument.Parse(await RequestReading.ReadBodyAsync(context, node.Options.MaxRequestBodyBytes), RequestReading.BodyJson);
            inFavour = document.RootElement.GetProperty("ballot").GetBoolean();
            if (document.RootElement.EnumerateObject().Any(member => !member.NameEquals("ballot")))
            {
                throw new InvalidOperationException("A ballot has no other member.");
            }
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw ApiException.BadRequest("BallotInvalid", "A ballot is {\"ballot\": true} or {\"ballot\": false}.");
        }

        var id = ProposalId(context);
        RequireProposal(governance, id);
        var member = CallingMember(context);
        var recordedIn = await Refused(() => governance.BallotAsync(member, id, inFavour, context.RequestAborted));
        context.Response.Headers[TransactionIdHeader.Name] = recordedIn.ToString();
        await ProposalAsync(context, governance, id);
    }

    private static async Task WithdrawAsync(HttpContext context, GovernanceLedger governance)
    {
        var id = ProposalId(context);
        RequireProposal(governance, id);
        var member = CallingMember(context);
        var recordedIn = await Refused(() => governance.WithdrawAsync(member, id, context.RequestAborted));
        context.Response.Headers[TransactionIdHeader.Name] = recordedIn.ToString();
        await ProposalAsync(context, governance, id);
    }

    private static Task MembersAsync(HttpContext context, GovernanceLedger governance)
    {
        var (members, threshold) = governance.Read(consortium => (consortium?.Members.ToList() ?? [], consortium?.RecoveryThreshold ?? 0));
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, (members, threshold), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("recoveryThreshold", state.threshold);
            writer.WriteStartArray("members");
            foreach (var member in state.members.OrderBy(member => member.Id, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("memberId", member.Id);
                writer.WriteString("certificate", member.CertificatePem);
                writer.WriteString("encryptionPublicKey", member.EncryptionKeyPem);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static Task ProposalsAsync(HttpContext context, GovernanceLedger governance)
    {
        var proposals = governance.Read(consortium => consortium?.Proposals.Select(ProposalView.Of).ToList() ?? []);
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, proposals, static (writer, proposals) =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("proposals");
            foreach (var proposal in proposals)
            {
                proposal.Write(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static Task ProposalAsync(HttpContext context, GovernanceLedger governance, string id)
    {
        var proposal = governance.Read(consortium => consortium?.Proposals.FirstOrDefault(p => p.Id == id) is { } found ? ProposalView.Of(found) : null)
            ?? throw ApiException.NotFound("ProposalNotFound", $"There is no proposal {id}.");
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, proposal, static (writer, proposal) => proposal.Write(writer));
    }

    private static void RequireProposal(GovernanceLedger governance, string id)
    {
        if (!governance.Read(consortium => consortium?.Proposals.Any(proposal => proposal.Id == id) ?? false))
        {
            throw ApiException.NotFound("ProposalNotFound", $"There is no proposal {id}.");
        }
    }

    private static string ProposalId(HttpContext context) => context.GetRouteValue("proposalId") as string ?? string.Empty;

    // Members authenticate with their certificate in TLS; the users' roles play no part here.
    internal static string CallingMember(HttpContext context) =>
        context.Connection.ClientCertificate is { } certificate
            ? Convert.ToHexStringLower(SHA256.HashData(certificate.RawData))
            : throw new ApiException(StatusCodes.Status401Unauthorized, "Unauthorized", "Governance requests need a member's client certificate.");

    private static async Task<T> Refused<T>(Func<Task<T>> request)
    {
        try
        {
            return await request();
        }
        catch (GovernanceException exception)
        {
            var status = exception.Code switch
            {
                "NotAMember" or "NotTheProposer" => StatusCodes.Status403Forbidden,
                "ProposalNotFound" => StatusCodes.Status404NotFound,
                "ProposalNotOpen" or "AlreadyVoted" => StatusCodes.Status409Conflict,
                _ => StatusCodes.Status400BadRequest,
            };
            throw new ApiException(status, exception.Code, exception.Message);
        }
    }
}
