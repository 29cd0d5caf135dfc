using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Vellum.Core;
using Vellum.Core.Entries;
using Vellum.Core.Identity;
using Vellum.Node.Api;
using Vellum.Node.Governance;
using Vellum.Node.Setup;
using Vellum.Storage;

namespace Vellum.Node.Recovery;

/// <summary>
/// The first phase of a recovery (<c>vellum recover</c>): a node whose data folder holds a ledger
/// restored from a backup but none of its secrets serves only what members need to give them
/// back: <c>GET /node/state</c>, <c>GET /gov/recovery</c>, <c>GET /gov/recovery/share</c> (a
/// member's encrypted share, from the ledger) and <c>POST /gov/recovery/share</c> (the share the
/// member decrypted offline). At the threshold it writes the recovered secrets into the folder and
/// stops, and the node starts as usual on them. Nothing is written to the ledger before then.
/// </summary>
internal static class RecoveryHost
{
    /// <summary>Collects shares when the folder awaits them, and returns once the secrets are back; returns at once otherwise.</summary>
    /// <exception cref="NodeStartException">The restored ledger cannot be recovered: no consortium, no deal, or an unreadable ledger.</exception>
    public static async Task CollectSharesIfAwaitedAsync(NodeOptions options, CancellationToken cancellationToken)
    {
        var directory = new DataDirectory(options.DataDirectory);
        if (!RecoverySetup.AwaitsShares(directory))
        {
            return;
        }

        using var folderLock = directory.Lock();
        var settings = NodeSettings.Parse(directory.Settings, File.ReadAllBytes(directory.Settings));
        await using var ledger = await Ledger.OpenAsync(options.LedgerOptionsFor(directory.Ledger), cancellationToken);
        var deal = RecoveryDealer.ReadLatest(ledger)
            ?? throw new NodeStartException($"The ledger restored in {directory.Root} holds no recovery shares: its members were never dealt any, so its secrets cannot be recovered.");
        RecoverySecrets.CheckDealCoversRecords(deal, ledger, directory.Root);
        var collector = new ShareCollector(deal, secret => RecoverySecrets.Confirms(secret, deal, ledger));
        using var service = ServiceIdentity.FromPem(File.ReadAllText(directory.ServiceCertificate), File.ReadAllText(directory.ServiceKey));
        using var node = NodeIdentity.FromPem(File.ReadAllText(directory.NodeCertificate), File.ReadAllText(directory.NodeKey));
        using var tlsCertificate = node.CreateCertificateWithPrivateKey();
        var app = ApiHost.CreateBuilder(options, tlsCertificate, service.Certificate).Build();
        await using (app)
        {
            var errors = new ErrorHandling(options.LoggerFactory.CreateLogger<ErrorHandling>());
            app.Use(errors.InvokeAsync);
            app.Use((context, next) =>
            {
                RequestTarget.RequireWellEncoded(context);
                return next(context);
            });
            app.UseRouting();
            Map(app, collector, node.NodeId, settings, ledger, options.MaxRequestBodyBytes);
            await app.StartAsync(cancellationToken);
            var endpoint = ApiHost.BoundEndpoint(app, options.Listen);
            options.AwaitingRecoveryShares?.Invoke(new RecoveryWait(new Uri($"https://{Authority(endpoint)}"), deal.Threshold, deal.Shares.Count));
            byte[] secret;
            try
            {
                secret = await collector.Recovered.WaitAsync(cancellationToken);
            }
            finally
            {
                await app.StopAsync(CancellationToken.None);
            }

            try
            {
                RecoverySecrets.Write(directory, deal, secret, ledger);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(secret);
            }
        }
    }

    private static string Authority(System.Net.IPEndPoint endpoint) =>
        endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]:{endpoint.Port}" : endpoint.ToString();

    private static void Map(IEndpointRouteBuilder routes, ShareCollector collector, string nodeId, NodeSettings settings, Ledger ledger, int maxBodyBytes)
    {
        var deal = collector.Deal;
        routes.MapGet("/node/state", context => JsonResponses.WriteAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("nodeId", nodeId);
            writer.WriteString("state", "WaitingForRecoveryShares");
            writer.WriteString("ledgerId", settings.Name);
            writer.WriteNumber("lastSeqno", ledger.LastSeqno);
            writer.WriteNumber("lastSignedSeqno", ledger.LastSignatureAtOrBefore(ledger.LastSeqno));
            writer.WriteNumber("submittedShares", collector.Submitted);
            writer.WriteNumber("threshold", deal.Threshold);
            writer.WriteEndObject();
        }));
        routes.MapGet("/node/ready", context => JsonResponses.WriteErrorAsync(
            context,
            StatusCodes.Status503ServiceUnavailable,
            ErrorCodes.ServiceUnavailable,
            $"The node waits for recovery shares: {collector.Submitted} of the {deal.Threshold} needed are in."));
        routes.Map("/app/{**rest}", context => JsonResponses.WriteErrorAsync(
            context,
            StatusCodes.Status503ServiceUnavailable,
            ErrorCodes.ServiceNotOpen,
            $"The ledger is being recovered and its secrets are sealed: {collector.Submitted} of the {deal.Threshold} recovery shares needed are in."));
        routes.MapGet("/gov/recovery/share", context =>
        {
            var memberId = GovernanceRoutes.CallingMember(context);
            var share = deal.Shares.TryGetValue(memberId, out var found)
                ? found
                : throw new ApiException(StatusCodes.Status403Forbidden, "NoRecoveryShare", $"{memberId} holds no share of deal {deal.EncryptedSecret.DealId}, the latest in the ledger.");
            return JsonResponses.WriteAsync(context, StatusCodes.Status200OK, writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("memberId", memberId);
                writer.WriteString("dealId", deal.EncryptedSecret.DealId.ToString());
                writer.WriteString("transactionId", deal.Id.ToString());
                writer.WriteNumber("threshold", deal.Threshold);
                writer.WriteBase64String("encryptedShare", share.ToBytes());
                writer.WriteEndObject();
            });
        });
        routes.MapPost("/gov/recovery/share", async context =>
        {
            var memberId = GovernanceRoutes.CallingMember(context);
            var share = ReadShare(await RequestReading.ReadBodyAsync(context, maxBodyBytes));
            var submitted = collector.Submit(memberId, share);
            await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, writer =>
            {
                writer.WriteStartObject();
                writer.WriteNumber("submittedShares", submitted);
                writer.WriteNumber("threshold", deal.Threshold);
                writer.WriteBoolean("recovered", collector.Recovered.IsCompletedSuccessfully);
                writer.WriteEndObject();
            });
        });
    }

    private static byte[] ReadShare(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, RequestReading.BodyJson);
            return document.RootElement.GetProperty("share").GetBytesFromBase64();
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, ErrorCodes.InvalidRequestBody, $"The body must be {{\"share\": \"<base64 of the decrypted share>\"}}: {exception.Message}");
        }
    }
}
