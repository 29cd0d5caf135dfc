using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Vellum.Core;

/// <summary>
/// Always-on assertions. Unlike <c>Debug.Assert</c> these stay in release builds: a ledger that
/// carries on after one of its invariants broke can corrupt history, so it must stop instead.
/// </summary>
public static class Invariant
{
    /// <summary>Throws <see cref="InvariantViolationException"/> when <paramref name="condition"/> is false.</summary>
    public static void Check(
        [DoesNotReturnIf(false)] bool condition,
        string message,
        [CallerArgumentExpression(nameof(condition))] string? expression = null)
    {
        if (!condition)
        {
            Fail(message, expression);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Fail(string message, string? expression) =>
        throw new InvariantViolationException($"Invariant violated: {message} ({expression})");
}

/// <summary>Raised when an internal invariant does not hold; it signals a bug, never bad input.</summary>
public sealed class InvariantViolationException : Exception
{
    /// <summary>Creates the exception with the violated invariant's description.</summary>
    public InvariantViolationException(string message)
        : base(message)
    {
    }
}
