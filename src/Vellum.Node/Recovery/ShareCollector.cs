using Microsoft.AspNetCore.Http;
using Vellum.Core.Recovery;
using Vellum.Node.Api;
using Vellum.Node.Governance;

namespace Vellum.Node.Recovery;

/// <summary>
/// Gathers the decrypted recovery shares members submit to a node recovering a ledger, one per
/// member holding a share of the ledger's latest deal (a member may submit again to replace its
/// own). At the deal's threshold the shares are combined; the secret they recover is accepted only
/// if <c>isRightSecret</c> confirms it against the ledger, and then completes <see cref="Recovered"/>.
/// Shares that combine to a wrong key are all dropped, since which one is wrong cannot be told.
/// </summary>
internal sealed class ShareCollector(DealRecord deal, Func<byte[], bool> isRightSecret)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RecoveryShare> _submitted = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<byte[]> _recovered = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The deal whose shares are collected.</summary>
    public DealRecord Deal => deal;

    /// <summary>The secret the deal protects, once enough right shares came in.</summary>
    public Task<byte[]> Recovered => _recovered.Task;

    /// <summary>How many members have submitted a share that is still held.</summary>
    public int Submitted
    {
        get
        {
            lock (_gate)
            {
                return _submitted.Count;
            }
        }
    }

    /// <summary>Takes <paramref name="memberId"/>'s decrypted share; returns how many shares are held, the threshold reached or not.</summary>
    /// <exception cref="ApiException">The member holds no share of the deal, the share is malformed or another's, the secret is already recovered, or the shares did not recover it.</exception>
    public int Submit(string memberId, ReadOnlySpan<byte> shareBytes)
    {
        if (!deal.Shares.TryGetValue(memberId, out var encrypted))
        {
            throw new ApiException(StatusCodes.Status403Forbidden, "NoRecoveryShare", $"{memberId} holds no share of deal {deal.EncryptedSecret.DealId}, the latest in the ledger.");
        }

        // Checked as combining checks it, so that a share that could not combine is never kept.
        var share = Parse(shareBytes);
        if (!deal.EncryptedSecret.Admits(share) || share.X != encrypted.X)
        {
            share.Clear();
            throw new ApiException(StatusCodes.Status400BadRequest, "WrongRecoveryShare", $"The share is not {memberId}'s share of deal {deal.EncryptedSecret.DealId}: decrypt the one GET /gov/recovery/share returns.");
        }

        lock (_gate)
        {
            if (_recovered.Task.IsCompleted)
            {
                share.Clear();
                throw new ApiException(StatusCodes.Status409Conflict, ErrorCodes.AlreadyRecovered, "Enough shares were submitted; the ledger is being opened.");
            }

            if (_submitted.Remove(memberId, out var replaced))
            {
                replaced.Clear();
            }

            _submitted[memberId] = share;

            // Counted before combining, which clears the shares it used.
            var submitted = _submitted.Count;
            if (submitted >= deal.Threshold)
            {
                Combine();
            }

            return submitted;
        }
    }

    private static RecoveryShare Parse(ReadOnlySpan<byte> shareBytes)
    {
        try
        {
            return RecoveryShare.Parse(shareBytes);
        }
        catch (RecoveryFormatException exception)
        {
            throw new ApiException(StatusCodes.Status400BadRequest, "InvalidRecoveryShare", $"The share is malformed: {exception.Message}");
        }
    }

    // Under the lock, with at least the threshold of shares held.
    private void Combine()
    {
        byte[]? secret = null;
        try
        {
            secret = RecoveryDeal.Recover(deal.EncryptedSecret, [.. _submitted.Values]);
        }
        catch (RecoveryException exception) when (exception.Reason == RecoveryFailure.SecretDidNotDecrypt)
        {
        }

        if (secret is not null && isRightSecret(secret))
        {
            Clear();
            _recovered.SetResult(secret);
            return;
        }

        Clear();
        throw new ApiException(
            StatusCodes.Status400BadRequest,
            "SharesDidNotRecover",
            $"The {deal.Threshold} shares submitted do not recover this ledger's secret: one of them is wrong. Every share was dropped; each member must submit again.");
    }

    private void Clear()
    {
        foreach (var held in _submitted.Values)
        {
            held.Clear();
        }

        _submitted.Clear();
    }
}
