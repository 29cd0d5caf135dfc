namespace Vellum.Core.Identity;

/// <summary>Why a signed root did not verify: the step that failed and a sentence saying why.</summary>
/// <param name="Check">The step that failed.</param>
/// <param name="Reason">Why, in a sentence without a final full stop.</param>
internal sealed record SignedRootFailure(SignedRootCheck Check, string Reason);
