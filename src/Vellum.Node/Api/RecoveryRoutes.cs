using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Vellum.Node.Authentication;
using Vellum.Node.Governance;

namespace Vellum.Node.Api;

/// <summary>
/// <c>/gov/recovery</c>: the latest deal of recovery shares (open, like the other governance
/// reads) and, for a member presenting its certificate, that member's encrypted share, which it
/// decrypts offline with its own key; a share submitted to a node that is not recovering is
/// refused with 409 <c>AlreadyRecovered</c>. See docs/governance.md, "Recovery shares".
/// </summary>
internal static class RecoveryRoutes
{
    public static void Map(IEndpointRouteBuilder routes, NodeContext node)
    {
        routes.MapGet("/gov/recovery", context => DealAsync(context, node)).AllowsAnonymous();
        routes.MapGet("/gov/recovery/share", context => ShareAsync(context, node)).AllowsAnonymous();

        // Shares are taken only by a node recovering a ledger (RecoveryHost); once its secrets are back
        // the node serves here, and a late share gets the answer the recovery's own threshold gives.
        routes.MapPost("/gov/recovery/share", context => JsonResponses.WriteErrorAsync(
            context,
            StatusCodes.Status409Conflict,
            ErrorCodes.AlreadyRecovered,
            "The ledger's secrets are in place: this node is not recovering a ledger, so it takes no recovery share.")).AllowsAnonymous();
    }

    private static Task DealAsync(HttpContext context, NodeContext node)
    {
        var deal = LatestDeal(node);
        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, deal, static (writer, deal) =>
        {
            writer.WriteStartObject();
            writer.WriteString("dealId", deal.EncryptedSecret.DealId.ToString());
            writer.WriteString("transactionId", deal.Id.ToString());
            writer.WriteNumber("seqno", deal.Id.Seqno);
            writer.WriteNumber("threshold", deal.Threshold);
            writer.WriteNumber("shareCount", deal.Shares.Count);
            writer.WriteString("secret", deal.Dealt == DealtSecret.Service ? "service" : "ledger");
            writer.WriteNumber("ledgerSecretVersion", deal.LedgerSecretVersion);
            writer.WriteStartArray("memberIds");
            foreach (var memberId in deal.Shares.Keys.Order(StringComparer.Ordinal))
            {
                writer.WriteStringValue(memberId);
            }

            writer.WriteEndArray();
            writer.WriteBase64String("encryptedLedgerSecret", deal.EncryptedSecret.ToBytes());
            writer.WriteEndObject();
        });
    }

    private static Task ShareAsync(HttpContext context, NodeContext node)
    {
        // Judged before the caller: with no deal there is no share for anyone.
        var deal = LatestDeal(node);
        var memberId = GovernanceRoutes.CallingMember(context);
        if (!node.Governance.Read(consortium => consortium?.Members.Any(member => member.Id == memberId) ?? false))
        {
            throw new ApiException(StatusCodes.Status403Forbidden, "NotAMember", $"{memberId} is not a member of the consortium.");
        }

        if (!deal.Shares.TryGetValue(memberId, out var share))
        {
            throw ApiException.NotFound("NoRecoveryShare", $"Member {memberId} holds no share of deal {deal.EncryptedSecret.DealId}: it has no encryption key, or the deal for its key is not in the ledger yet.");
        }

        return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, (deal, memberId, share), static (writer, state) =>
        {
            writer.WriteStartObject();
            writer.WriteString("memberId", state.memberId);
            writer.WriteString("dealId", state.deal.EncryptedSecret.DealId.ToString());
            writer.WriteString("transactionId", state.deal.Id.ToString());
            writer.WriteNumber("threshold", state.deal.Threshold);
            writer.WriteBase64String("encryptedShare", state.share.ToBytes());
            writer.WriteEndObject();
        });
    }

    private static DealRecord LatestDeal(NodeContext node) =>
        node.Recovery.Latest ?? throw ApiException.NotFound(
            "NoRecoveryDeal",
            "No recovery shares are dealt yet: the consortium has no member holding an encryption key, or the first deal is not in the ledger yet.");
}
