namespace Vellum.Node.Access;

/// <summary>
/// Why <see cref="AccessControl.Validate(AccessChange)"/> refused a change: a code for
/// <c>error.code</c> and a sentence for <c>error.message</c> of an HTTP error response.
/// </summary>
/// <param name="Code">The reason, as a code.</param>
/// <param name="Message">The reason, as a sentence that names the user or role concerned.</param>
public sealed record AccessRejection(AccessRejectionCode Code, string Message)
{
    /// <summary>The code as the string an HTTP error body carries.</summary>
    public string CodeName => Code.ToString();
}
