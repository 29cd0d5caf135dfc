using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Vellum.Node.Api;

/// <summary>
/// The conditional headers of a GET (RFC 9110 §13) for a representation with a strong entity
/// tag and no modification date: <c>If-Match</c>, <c>If-None-Match</c> and <c>If-Range</c>.
/// An <c>If-Match</c> that does not parse fails, since no tag it names can be shown to match;
/// an <c>If-None-Match</c> or <c>If-Range</c> that does not parse gets the whole representation.
/// </summary>
internal static class ConditionalRequest
{
    /// <summary>What the preconditions ask, evaluated in RFC 9110 §13.2.2's order.</summary>
    public static Outcome Evaluate(HttpContext context, EntityTagHeaderValue current)
    {
        var headers = context.Request.GetTypedHeaders();
        var ifMatch = headers.IfMatch;
        var askedToMatch = ifMatch.Count > 0 || !StringValues.IsNullOrEmpty(context.Request.Headers.IfMatch);
        if (askedToMatch && !ifMatch.Any(tag => IsAny(tag) || tag.Compare(current, useStrongComparison: true)))
        {
            return Outcome.PreconditionFailed;
        }

        var ifNoneMatch = headers.IfNoneMatch;
        return ifNoneMatch.Count > 0 && ifNoneMatch.Any(tag => IsAny(tag) || tag.Compare(current, useStrongComparison: false))
            ? Outcome.NotModified
            : Outcome.Proceed;
    }

    /// <summary>
    /// Whether a <c>Range</c> header may be honoured: without <c>If-Range</c>, or when it names the
    /// current tag (strong comparison). A date never matches, since no modification date is sent:
    /// the whole representation is served instead (§13.1.5).
    /// </summary>
    public static bool RangeApplies(HttpContext context, EntityTagHeaderValue current)
    {
        if (!context.Request.Headers.ContainsKey(HeaderNames.IfRange))
        {
            return true;
        }

        var ifRange = context.Request.GetTypedHeaders().IfRange;
        return ifRange?.EntityTag is { } tag && tag.Compare(current, useStrongComparison: true);
    }

    private static bool IsAny(EntityTagHeaderValue tag) => tag.Tag.Equals(EntityTagHeaderValue.Any.Tag, StringComparison.Ordinal);

    /// <summary>What a GET is to do once its preconditions are evaluated.</summary>
    public enum Outcome
    {
        /// <summary>Serve the representation (or its range).</summary>
        Proceed,

        /// <summary>304, without a body.</summary>
        NotModified,

        /// <summary>412.</summary>
        PreconditionFailed,
    }
}
